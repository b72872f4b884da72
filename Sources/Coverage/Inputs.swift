import Geometry

/// A local authority: its code, name and polygon in the working CRS.
public struct Authority: Sendable {
    public let code: String
    public let name: String
    /// Polygon or MultiPolygon in the working CRS (metres).
    public let geometry: Geometry
    /// Planar area in km².
    public let areaKm2: Double

    public init(code: String, name: String, geometry: Geometry) throws {
        self.code = code
        self.name = name
        self.geometry = geometry
        self.areaKm2 = try geometry.area() / 1e6
    }
}

/// Premises as columns: location in the working CRS and household weight.
public struct PremisesTable: Sendable {
    public var xs: [Double]
    public var ys: [Double]
    /// Households at each point (≥ 0); each counts as one premises passed in costs.
    public var households: [Double]
    /// Optional identifiers (postcodes, UPRNs), for the premises layer.
    public var ids: [String]?

    public init(xs: [Double], ys: [Double], households: [Double], ids: [String]? = nil) {
        precondition(xs.count == ys.count && xs.count == households.count, "premises columns differ in length")
        self.xs = xs
        self.ys = ys
        self.households = households
        self.ids = ids
    }

    public var count: Int { xs.count }
}

/// The technologies bbplan models.
public enum Technology: String, Sendable, CaseIterable {
    /// Fibre to the cabinet: VDSL2 over copper from street cabinets (points).
    case fttc
    /// Fibre to the premises: footprint polygons.
    case fttp
    /// Cable (DOCSIS): footprint polygons.
    case cable
    /// Fixed wireless access: masts (points) with a reach radius.
    case fwa
}

/// One operator's existing network of one technology.
public struct Network: Sendable {
    /// What the network is made of, in the working CRS.
    public enum Assets: Sendable {
        /// Street cabinets: speed comes from the distance to the nearest one.
        case cabinets(xs: [Double], ys: [Double])
        /// Masts with a reach radius in metres each.
        case masts(xs: [Double], ys: [Double], radiiMetres: [Double])
        /// Areas where the service is available.
        case footprints([Geometry])
    }

    public let name: String
    public let operatorName: String
    public let technology: Technology
    public let assets: Assets
    /// The download speed the network gives; nil for FTTC, whose speed comes from the curve.
    public let downMbps: Double?

    public init(name: String, operatorName: String, technology: Technology, assets: Assets, downMbps: Double?) {
        self.name = name
        self.operatorName = operatorName
        self.technology = technology
        self.assets = assets
        self.downMbps = downMbps
    }

    /// How many cabinets, masts or footprint polygons.
    public var assetCount: Int {
        switch assets {
        case .cabinets(let xs, _): xs.count
        case .masts(let xs, _, _): xs.count
        case .footprints(let g): g.count
        }
    }
}

/// The speed model of a scenario.
public struct SpeedModel: Sendable {
    /// FTTC line length = straight distance to the nearest cabinet × this.
    public var routeFactor: Double
    public var curve: SpeedCurve
    public var tiers: TierSet
    /// An operator counts towards the NGA class at or above this speed (Mbit/s).
    public var ngaThresholdMbps: Double

    public init(routeFactor: Double = 1.3, curve: SpeedCurve = .vdsl2Default,
                tiers: TierSet = .standard, ngaThresholdMbps: Double = 30) {
        self.routeFactor = routeFactor
        self.curve = curve
        self.tiers = tiers
        self.ngaThresholdMbps = ngaThresholdMbps
    }

    /// Straight-line radius of FTTC coverage at a tier, from the curve and route factor.
    public func fttcReach(forMbps mbps: Double) -> SpeedCurve.Reach {
        switch curve.reach(forMbps: mbps) {
        case .none: .none
        case .unlimited: .unlimited
        case .metres(let m): .metres(m / routeFactor)
        }
    }
}
