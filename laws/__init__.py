"""Conservation laws of gradient flows: models, Lie closure, counts, polynomial laws, verification."""
