"""A header line longer than the reader's sample (wide tables) is read in full."""

import pandas as pd
import pytest

from lifecycle_kit import tables

# Every test here runs with pyarrow's CSV reader and with pandas' (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("csv_parser")


@pytest.mark.parametrize("compressed", [False, True])
def test_a_header_longer_than_the_sample_names_every_column(tmp_path, monkeypatch, compressed):
    # A 64-byte sample stands for 256 KiB: the header of 300 columns is ~1.5 KB, as 50,000 columns are ~340 KB;
    # cut after 64 bytes, its last name "x1" (the start of "x17") would repeat an earlier one.
    monkeypatch.setattr(tables, "SAMPLE_BYTES", 64)
    frame = pd.DataFrame({f"x{i}": [i, i + 0.5, -i] for i in range(300)})
    path = tmp_path / ("wide.csv.gz" if compressed else "wide.csv")
    frame.to_csv(path, index=False)
    table = tables.read_table(path)
    pd.testing.assert_frame_equal(table.frame, frame)
    assert table.delimiter == ","


def test_a_header_only_file_longer_than_the_sample_still_says_it_has_no_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "SAMPLE_BYTES", 64)
    path = tmp_path / "header.csv"
    path.write_text(",".join(f"x{i}" for i in range(300)) + "\n", encoding="utf-8")
    with pytest.raises(tables.LifecycleKitError, match="no data rows"):
        tables.read_table(path)
