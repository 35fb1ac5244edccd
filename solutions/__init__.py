"""Tested reference solutions for the coding round of the Peloton DE loop."""
