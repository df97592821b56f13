"""Corporate Parenting Scorecard: store, metrics layer and web UI."""
