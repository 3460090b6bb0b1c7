// Stand-in for Apple's CoreML framework: just the declarations the generated Core ML layer uses,
// with Apple's Swift signatures and availability, so `swiftc -typecheck` can check that layer on
// Linux in the Swift 6 language mode. Bodies are never run.
//
// Sources (Apple developer documentation, developer.apple.com/documentation/coreml, read
// 2026-11-23): the page named in the comment above each declaration. Sendability: none of the
// classes below lists `Sendable` under "Conforms To" in that documentation, so they are
// declared non-Sendable here (the conservative choice: code that type-checks against
// non-Sendable classes also type-checks when the SDK marks them Sendable).
import Foundation

// /documentation/coreml/mlcomputeunits — `enum MLComputeUnits` (iOS 12.0+), an NS_ENUM of Int:
// cpuOnly = 0, cpuAndGPU = 1, all = 2, cpuAndNeuralEngine = 3 (case availability iOS 16.0+,
// /documentation/coreml/mlcomputeunits/cpuandneuralengine). Imported C enums are Sendable.
@available(iOS 12.0, macOS 10.14, tvOS 12.0, watchOS 5.0, *)
public enum MLComputeUnits: Int, @unchecked Sendable {
    case cpuOnly = 0
    case cpuAndGPU = 1
    case all = 2
    @available(iOS 16.0, macOS 13.0, tvOS 16.0, watchOS 9.0, *)
    case cpuAndNeuralEngine = 3
}

// /documentation/coreml/mlmodelconfiguration — `class MLModelConfiguration` (iOS 12.0+) with
// `var computeUnits: MLComputeUnits { get set }`.
@available(iOS 12.0, macOS 10.14, tvOS 12.0, watchOS 5.0, *)
open class MLModelConfiguration: NSObject {
    open var computeUnits: MLComputeUnits = .all
    override public init() {}
}

// /documentation/coreml/mlpredictionoptions — `class MLPredictionOptions` (iOS 11.0+).
@available(iOS 11.0, macOS 10.13, tvOS 11.0, watchOS 4.0, *)
open class MLPredictionOptions: NSObject {
    override public init() {}
}

// /documentation/coreml/mlmultiarraydatatype — `enum MLMultiArrayDataType` (iOS 11.0+);
// raw values from the CoreML headers (0x10000 | 64 ...), as mirrored by objc2-core-ml
// (docs.rs/objc2-core-ml, generated/MLMultiArray.rs).
@available(iOS 11.0, macOS 10.13, tvOS 11.0, watchOS 4.0, *)
public enum MLMultiArrayDataType: Int, @unchecked Sendable {
    case double = 65600
    case float32 = 65568
    @available(iOS 16.0, macOS 12.0, tvOS 16.0, watchOS 9.0, *)
    case float16 = 65552
    case int32 = 131104
    @available(iOS 26.0, macOS 26.0, tvOS 26.0, watchOS 26.0, *)
    case int8 = 131080
    // /documentation/coreml/mlmultiarraydatatype/float (iOS 14.0+): an alias of float32.
    public static var float: MLMultiArrayDataType { .float32 }
    public static var float64: MLMultiArrayDataType { .double }
}

// /documentation/coreml/mlshapedarrayscalar — the element types of MLShapedArray (iOS 15.0+).
@available(iOS 15.0, macOS 12.0, tvOS 15.0, watchOS 8.0, *)
public protocol MLShapedArrayScalar {}
extension Float: MLShapedArrayScalar {}
extension Double: MLShapedArrayScalar {}
extension Int32: MLShapedArrayScalar {}

// /documentation/coreml/mlmultiarray — `class MLMultiArray` (iOS 11.0+).
@available(iOS 11.0, macOS 10.13, tvOS 11.0, watchOS 4.0, *)
open class MLMultiArray: NSObject {
    // /documentation/coreml/mlmultiarray/init(shape:datatype:) — `init(shape: [NSNumber],
    // dataType: MLMultiArrayDataType) throws` (iOS 11.0+).
    public init(shape: [NSNumber], dataType: MLMultiArrayDataType) throws { fatalError("stand-in") }

    // /documentation/coreml/mlmultiarray/init(_:)-wk41 — `convenience init<ShapedArray>(_
    // shapedArray: ShapedArray) where ShapedArray : MLShapedArrayProtocol` (iOS 15.0+);
    // MLShapedArray is the only MLShapedArrayProtocol type the layer passes.
    @available(iOS 15.0, macOS 12.0, tvOS 15.0, watchOS 8.0, *)
    public convenience init<Scalar>(_ shapedArray: MLShapedArray<Scalar>) { fatalError("stand-in") }

    // /documentation/coreml/mlmultiarray/shape, /strides, /datatype, /count (iOS 11.0+).
    open var shape: [NSNumber] { fatalError("stand-in") }
    open var strides: [NSNumber] { fatalError("stand-in") }
    open var dataType: MLMultiArrayDataType { fatalError("stand-in") }
    open var count: Int { fatalError("stand-in") }

    // /documentation/coreml/mlmultiarray/withunsafemutablebufferpointer(oftype:_:) (iOS 15.4+).
    @available(iOS 15.4, macOS 12.3, tvOS 15.4, watchOS 8.5, *)
    public func withUnsafeMutableBufferPointer<S: MLShapedArrayScalar, R>(
        ofType type: S.Type, _ body: (UnsafeMutableBufferPointer<S>, [Int]) throws -> R
    ) rethrows -> R { fatalError("stand-in") }
}

// /documentation/coreml/mlshapedarray — `struct MLShapedArray<Scalar> where Scalar :
// MLShapedArrayScalar` (iOS 15.0+).
@available(iOS 15.0, macOS 12.0, tvOS 15.0, watchOS 8.0, *)
public struct MLShapedArray<Scalar: MLShapedArrayScalar> {
    // /documentation/coreml/mlshapedarrayprotocol/init(scalars:shape:) — `init<S>(scalars: S,
    // shape: [Int]) where S : Sequence, Self.Scalar == S.Element` (iOS 15.0+).
    public init<S: Sequence>(scalars: S, shape: [Int]) where S.Element == Scalar { fatalError("stand-in") }
    // /documentation/coreml/mlshapedarrayprotocol/init(converting:) — `init(converting
    // multiArray: MLMultiArray)` (iOS 15.0+): converts from another scalar type.
    public init(converting multiArray: MLMultiArray) { fatalError("stand-in") }
    // /documentation/coreml/mlshapedarrayprotocol/init(_:) — `init(_ multiArray: MLMultiArray)`.
    public init(_ multiArray: MLMultiArray) { fatalError("stand-in") }
    // /documentation/coreml/mlshapedarrayprotocol/scalars — `var scalars: [Self.Scalar]`.
    public var scalars: [Scalar] { fatalError("stand-in") }
    // /documentation/coreml/mlshapedarrayprotocol/shape — `var shape: [Int] { get }`.
    public var shape: [Int] { fatalError("stand-in") }
}

// /documentation/coreml/mlfeaturevalue — `class MLFeatureValue` (iOS 11.0+).
@available(iOS 11.0, macOS 10.13, tvOS 11.0, watchOS 4.0, *)
open class MLFeatureValue: NSObject {
    // /documentation/coreml/mlfeaturevalue/init(multiarray:) — `convenience init(multiArray
    // value: MLMultiArray)`.
    public convenience init(multiArray value: MLMultiArray) { fatalError("stand-in") }
    // /documentation/coreml/mlfeaturevalue/multiarrayvalue — `var multiArrayValue:
    // MLMultiArray? { get }`.
    open var multiArrayValue: MLMultiArray? { fatalError("stand-in") }
}

// /documentation/coreml/mlfeatureprovider — `protocol MLFeatureProvider` (iOS 11.0+):
// `var featureNames: Set<String> { get }`, `func featureValue(for featureName: String) ->
// MLFeatureValue?`.
@available(iOS 11.0, macOS 10.13, tvOS 11.0, watchOS 4.0, *)
public protocol MLFeatureProvider {
    var featureNames: Set<String> { get }
    func featureValue(for featureName: String) -> MLFeatureValue?
}

// /documentation/coreml/mldictionaryfeatureprovider — `class MLDictionaryFeatureProvider`
// (iOS 11.0+); /init(dictionary:) — `init(dictionary: [String : Any]) throws`.
@available(iOS 11.0, macOS 10.13, tvOS 11.0, watchOS 4.0, *)
open class MLDictionaryFeatureProvider: NSObject, MLFeatureProvider {
    public init(dictionary: [String: Any]) throws { fatalError("stand-in") }
    open var featureNames: Set<String> { fatalError("stand-in") }
    open func featureValue(for featureName: String) -> MLFeatureValue? { fatalError("stand-in") }
}

// /documentation/coreml/mlmodel — `class MLModel` (iOS 11.0+).
@available(iOS 11.0, macOS 10.13, tvOS 11.0, watchOS 4.0, *)
open class MLModel: NSObject {
    // /documentation/coreml/mlmodel/init(contentsof:configuration:) — `convenience
    // init(contentsOf url: URL, configuration: MLModelConfiguration) throws` (iOS 12.0+).
    @available(iOS 12.0, macOS 10.14, tvOS 12.0, watchOS 5.0, *)
    public convenience init(contentsOf url: URL, configuration: MLModelConfiguration) throws {
        fatalError("stand-in")
    }

    // /documentation/coreml/mlmodel/load(contentsof:configuration:) — `class func
    // load(contentsOf url: URL, configuration: MLModelConfiguration = MLModelConfiguration())
    // async throws -> MLModel` (iOS 15.0+).
    @available(iOS 15.0, macOS 12.0, tvOS 15.0, watchOS 8.0, *)
    open class func load(
        contentsOf url: URL, configuration: MLModelConfiguration = MLModelConfiguration()
    ) async throws -> MLModel { fatalError("stand-in") }

    // /documentation/coreml/mlmodel/compilemodel(at:)-45ao6 — `class func compileModel(at url:
    // URL) async throws -> URL` (iOS 16.0+). The synchronous `compileModel(at:) throws -> URL`
    // (/compilemodel(at:)-6442s) is deprecated and deliberately left out.
    @available(iOS 16.0, macOS 13.0, tvOS 16.0, *)
    open class func compileModel(at url: URL) async throws -> URL { fatalError("stand-in") }

    // /documentation/coreml/mlmodel/prediction(from:)-9y2aa — `func prediction(from input: any
    // MLFeatureProvider) throws -> any MLFeatureProvider` (iOS 11.0+).
    open func prediction(from input: any MLFeatureProvider) throws -> any MLFeatureProvider {
        fatalError("stand-in")
    }

    // /documentation/coreml/mlmodel/prediction(from:options:)-81mr6 — `func prediction(from
    // input: any MLFeatureProvider, options: MLPredictionOptions) throws -> any
    // MLFeatureProvider` (iOS 11.0+).
    open func prediction(
        from input: any MLFeatureProvider, options: MLPredictionOptions
    ) throws -> any MLFeatureProvider { fatalError("stand-in") }

    // /documentation/coreml/mlmodel/prediction(from:options:)-3vg03 — `func prediction(from
    // input: any MLFeatureProvider, options: MLPredictionOptions = MLPredictionOptions()) async
    // throws -> any MLFeatureProvider` (iOS 17.0+).
    @available(iOS 17.0, macOS 14.0, tvOS 17.0, watchOS 10.0, *)
    open func prediction(
        from input: any MLFeatureProvider, options: MLPredictionOptions = MLPredictionOptions()
    ) async throws -> any MLFeatureProvider { fatalError("stand-in") }

    // /documentation/coreml/mlmodel/makestate() — `func makeState() -> MLState` (iOS 18.0+): a new
    // state (zeroed buffers) for a stateful model.
    @available(iOS 18.0, macOS 15.0, tvOS 18.0, watchOS 11.0, *)
    open func makeState() -> MLState { fatalError("stand-in") }

    // /documentation/coreml/mlmodel/prediction(from:using:options:)-8kv3l — `func prediction(from
    // inputFeatures: any MLFeatureProvider, using state: MLState, options: MLPredictionOptions =
    // MLPredictionOptions()) async throws -> any MLFeatureProvider` (iOS 18.0+): the prediction
    // reads and updates `state`.
    @available(iOS 18.0, macOS 15.0, tvOS 18.0, watchOS 11.0, *)
    open func prediction(
        from inputFeatures: any MLFeatureProvider, using state: MLState,
        options: MLPredictionOptions = MLPredictionOptions()
    ) async throws -> any MLFeatureProvider { fatalError("stand-in") }
}

// /documentation/coreml/mlstate — `class MLState` (iOS 18.0+): the state buffers (e.g. a KV cache)
// of a stateful model, made by `MLModel.makeState()`. Not listed as Sendable.
@available(iOS 18.0, macOS 15.0, tvOS 18.0, watchOS 11.0, *)
open class MLState: NSObject {
    override private init() {}
}
