"""Showing tools: live widgets or their static view, messages, the colour theme, exports."""
