# Run by scripts/make-fixtures (was an embedded heredoc); arguments as passed there.
import sys, zipfile
out = sys.argv[1]

def zipped(name, members):
    with zipfile.ZipFile(f"{out}/{name}", "w", zipfile.ZIP_DEFLATED) as z:
        for member, text in members:
            info = zipfile.ZipInfo(member, date_time=(2026, 1, 31, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, text)

# BDUK's UPRN release: two district files (one in a folder, its UPRNs below the first file's,
# so the rows are not in UPRN order) and a README that is not a release file.
bduk = ("uprn,struprn,bduk_recognised_premises,country,postcode,lot_id,lot_name,subsidy_control_status,"
        "current_gigabit,future_gigabit,local_authority_district_ons_code,local_authority_district_ons,"
        "region_ons_code,region_ons,bduk_gis,bduk_gis_contract_scope,bduk_gis_final_coverage_date,"
        "bduk_gis_contract_name,bduk_gis_supplier,bduk_vouchers,bduk_vouchers_contract_name,bduk_vouchers_supplier,"
        "bduk_superfast,bduk_superfast_contract_name,bduk_superfast_supplier,bduk_hubs,bduk_hubs_contract_name,"
        "bduk_hubs_supplier\n")
alpha = bduk + (
    "100000000011,str100000000011,true,England,CA1 1AA,7,Cumbria,Gigabit White,false,false,E06000063,Cumberland,E12000002,North West,false,,,,,false,,,false,,,false,,\n"
    "100000000012,str100000000012,true,England,CA1 1AB,7,Cumbria,Gigabit Grey/Black,true,true,E06000063,Cumberland,E12000002,North West,false,,,,,true,Voucher scheme,Fibre Co,false,,,false,,\n"
    "100000000013,str100000000013,false,England,,7,Cumbria,Gigabit Under Review,false,true,E06000063,Cumberland,E12000002,North West,true,In contract scope,2027-03-31,Project Gigabit Lot 7,Fibre Co,false,,,true,BDUK Superfast Cumbria,Openreach,false,,\n")
beta = bduk + (
    "100000000002,str100000000002,true,England,LA9 4AA,7,Cumbria,Unassessed,false,false,E06000064,Westmorland and Furness,E12000002,North West,true,Deferred,2028-02-29,\"Smith, Jones & Co \"\"Fell\"\"\",Fibre Co,false,,,false,,,true,GigaHub 3,Openreach\n"
    "100000000001,str100000000001,true,England,LA9  4AB,7,Cumbria,Gigabit White,false,false,E06000064,Westmorland and Furness,E12000002,North West,false,,,,,false,,,false,,,false,,\n")
zipped("202601_BDUK_uprn_release_test_region.zip", [
    ("202601_BDUK_uprn_release_test_region_alpha.csv", alpha),
    ("districts/202601_BDUK_uprn_release_test_region_beta.csv", beta),
    ("README.txt", "Not a release file.\n"),
])

# Ofcom postcode files as Ofcom zips them: all-premises and residential files in two folders.
ofcom = ("\ufeffpostcode,postcode_space,postcode area,SFBB availability (% premises),"
         "UFBB (100Mbit/s) availability (% premises),UFBB availability (% premises),Gigabit availability (% premises),"
         "% of premises with NGA,% of premises unable to receive decent broadband from fixed or FWA,"
         "% of premises able to receive decent broadband from FWA,% of premises unable to receive 2Mbit/s,"
         "% of premises unable to receive 5Mbit/s,% of premises unable to receive 10Mbit/s,"
         "% of premises unable to receive 30Mbit/s,% of premises with 0<2Mbit/s download speed,"
         "% of premises with 2<5Mbit/s download speed,% of premises with 5<10Mbit/s download speed,"
         "% of premises with 10<30Mbit/s download speed,% of premises with 30<300Mbit/s download speed,"
         "% of premises with >=300Mbit/s download speed\n")
zipped("202601_fixed_pc_coverage_r1.zip", [
    ("postcode_files/202601_fixed_pc_coverage_r1_AA.csv", ofcom
        + "AA11AA,AA1 1AA,AA,100,50,50,25,100,0,0,0,0,0,0,0,0,0,0,50,50\n"
        + "AA11AB,AA1 1AB,AA,55.6,0,0,0,100,11.1,0,0,0,11.1,44.4,0,0,11.1,33.3,55.6,0\n"),
    ("postcode_files/202601_fixed_pc_coverage_r1_BB.csv", ofcom
        + "BB11AA,BB1 1AA,BB,0,0,0,0,0,60,20,20,50,80,100,20,30,30,20,0,0\n"),
    ("postcode_res_files/202601_fixed_pc_coverage_res_r1_AA.csv", ofcom
        + "AA11AA,AA1 1AA,AA,100,100,100,100,100,0,0,0,0,0,0,0,0,0,0,0,100\n"
        + "AA11AB,AA1 1AB,AA,100,0,0,0,100,0,0,0,0,0,0,0,0,0,0,100,0\n"),
])
