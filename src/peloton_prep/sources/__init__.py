"""Loading and checking the sources: pages, cards, diagrams, mock rounds and the release, read once
and rendered once (card faces sanitised) into the `Content` every output is made from."""
