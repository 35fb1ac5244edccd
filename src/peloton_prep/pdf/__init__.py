"""The printed editions: the guide's and card sheets' HTML, printed by a locked-down Chromium,
then finished by byte edits (dates, identifiers, page boxes) and appended bookmarks."""
