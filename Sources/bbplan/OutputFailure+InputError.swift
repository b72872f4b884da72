import OutputSafety

/// A refused output folder is the user's choice (exit 2); a full disk or a read-only file
/// system is the machine (exit 1); see ErrorReporting.
extension OutputFailure: InputError {}
