import FuzzHarness

/// libFuzzer entry point: a property violation is a crash, so libFuzzer records the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let problem = FuzzHarness.scenario(Array(UnsafeBufferPointer(start: data, count: size))) {
        fatalError(problem)
    }
    return 0
}
