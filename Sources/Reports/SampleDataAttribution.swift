/// The licences and attribution of the sample data shipped in GeoData/, copied from the shared
/// data's README ("Licences and attribution"); the reports print them with the provenance.
enum SampleDataAttribution {
    static let lines = [
        "ONS boundaries, census and postcode lookups: Source: Office for National Statistics licensed under the Open Government Licence v.3.0. Contains OS data © Crown copyright and database right 2025.",
        "ONSPD additionally: Contains Royal Mail data © Royal Mail copyright and database right 2025. Contains GeoPlace data © Local Government Information House Limited copyright and database right 2025.",
        "Code-Point Open 2014: Contains Ordnance Survey data © Crown copyright and database right 2014. Contains Royal Mail data © Royal Mail copyright and database right 2014. Contains National Statistics data © Crown copyright and database right 2014.",
        "Trafford files: ONS data repackaged by Trafford Data Lab (OGL v3). Ofcom speeds: Contains Ofcom data licensed under the Open Government Licence v3.0.",
        "OpenStreetMap roads: © OpenStreetMap contributors, ODbL 1.0.",
        "OSTN15 grid: from the PROJ-data project, BSD-2-Clause (see proj/uk_os_README.txt).",
        "Modelled network files: made for this project from the postcode data above; same attribution as Code-Point Open.",
    ]

    /// Said wherever sample network data may appear in a result.
    static let modelledNetworks =
        "The network data in bbplan's sample data (FTTC cabinets, exchanges, fixed-wireless masts and full-fibre footprints) is MODELLED: synthetic infrastructure made from the postcode data, not operator data. Coverage figures from it illustrate the method; they do not describe any real network."

    /// Whether an input path lies in bbplan's sample data folder.
    static func isSample(_ path: String) -> Bool {
        path.contains("/GeoData/") || path.hasPrefix("GeoData/")
    }
}
