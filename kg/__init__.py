"""Graph layer: schema, GraphStore over the neo4j driver, writer, named queries.

Knows nothing of files or questions; calls nothing else of ours.
"""
