import RunStore

/// A damaged, foreign or newer catalogue is the user's file (exit 2); see ErrorReporting.
extension CatalogueError: InputError {}
