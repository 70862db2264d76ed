"""The live preview (``explainer serve``): see server.py for how its modules divide the work."""
