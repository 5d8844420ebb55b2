"""The SOC example app: a JSON API over one finmark engine."""
