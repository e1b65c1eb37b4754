"""Code shared by the Spire server and the phone app: vocabularies, labels, pure helpers.

Nothing here imports Flask, Kivy or SQLAlchemy.
"""
