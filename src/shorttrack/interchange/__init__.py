"""Files in and out: the interchange format of docs/formats.md.

``formats`` (the kinds of records, their CSV headers and fields), ``records`` (the plain
dataclasses files are read into), ``names`` (how skaters and Members are written and
matched), ``reading`` (JSON and CSV files to records), ``worldcup_2022_23`` (the adapter
for the shared real 2022/23 data), ``export`` (a season back to files). Reading is pure;
only ``export`` reads the store, and nothing here writes to it: the import service does.
"""
