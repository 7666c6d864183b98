"""The deterministic generator of the course's synthetic data (`python -m helpers generate-data`)."""
