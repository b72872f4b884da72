import Foundation
import Batch
import GeoIO
import Geometry
import Projection
import Reports
import Scenario

/// Turns library errors into one line for the user and an exit code: 2 for bad input (the
/// user can fix the file or scenario), 1 for a run that failed on good input.
enum ErrorReporting {
    static func exitCode(for error: Error) -> Int32? {
        switch error {
        case is GeoIOError, is ProjectionError: return 2
        case is GEOSError: return 1
        case let e as ScenarioError: return e.isBadInput ? 2 : 1
        default:
            if let described = error as? InputError { return described.isBadInput ? 2 : 1 }
            return nil
        }
    }

    /// One line, whatever the error holds: control characters (a newline, an escape from a
    /// file or folder name) are written as escapes, once, here for every library.
    static func message(for error: Error) -> String {
        String(describing: error).printable
    }
}

/// Errors from domain libraries that know whether they are the user's input.
protocol InputError: Error {
    var isBadInput: Bool { get }
}
