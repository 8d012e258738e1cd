"""Authors: the example entity, its models, queries and service."""
