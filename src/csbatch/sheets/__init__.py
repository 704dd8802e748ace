"""Input intake: finding each kind's files, reading cells, finding headers, coercing values.

The typed-table contract every later stage relies on. `read_inputs` returns one pandas DataFrame
per input kind, with the canonical column names of `config/inputs.yaml` (every declared column is
present, all blank when the file did not have it) plus provenance columns:

    _file   display path of the file (str)          _sheet  sheet name (str; None for CSV)
    _row    1-based row number in the sheet (int)

Column dtypes by declared type (blank cells are the missing value of the dtype):

    id, text, code, month, phone, national_id  object: str or None  (code → canonical code,
                                               month → 'YYYY-MM')
    int                                        'Int64' (pd.NA)
    number, money                              object: decimal.Decimal or None (never float)
    date, datetime                             datetime64[ns] (NaT); a date is at midnight
    time                                       timedelta64[ns] since midnight (NaT)
    bool                                       'boolean' (pd.NA)

Audit item columns (questionnaire items) are named by item code ('ENV-1' …): object columns of
Decimal points for positive items, Decimal 1/0 (violated or not) for taboo items, None for N/A.
"""
