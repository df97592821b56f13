"""Reading, validating and loading the monthly extracts into the store."""
