"""Cell coercion: what the readers hand over → the typed-table contract of `csbatch.sheets`.

A column is coerced as a whole, never cell by cell in Python:

1. **Split by Python type once.** Readers give an object Series mixing str, float, int, bool,
   date/datetime/time/timedelta and blanks. `infer_dtype` recognises the common all-text (CSV)
   and all-number columns without looking at cells one by one; otherwise the cells' types are
   factorised (a handful of distinct types) into positions per kind.
2. **Coerce the distinct values, then broadcast.** Each kind's cells are factorised (hashing in
   C) and only the distinct values are cleaned (NFKC, invisible characters, strip) and parsed —
   with pandas string methods, one regex per family of forms, and numpy arithmetic on
   calendars and Excel serials. Values, error messages and notes go back to the cells with one
   `take`. A million-row date column holds a few hundred distinct dates; a money column of
   distinct amounts is still parsed in bulk (Decimal built with `Series.map`, from the text or
   from a float's shortest repr, never from its binary expansion).
3. **Each cell ends as exactly one of** a value, an error message, or missing (blank and not
   required). Problems are returned, never raised; warnings are notes with a code.

Messages are the part after the column name: `'12,3x' is not an amount`.

The package, module by module:

- `context`: what coercion is given (`CoerceContext`) and gives back (`Coerced`);
- `type_groups`: step 1, a column split by Python type into groups of distinct values;
- `results`: step 2's broadcast, per-distinct-value results and messages onto the cells;
- `numbers`, `identifiers`, `labels`, `instants` and `temporal`: step 2's parsing, per
  declared column type;
- `column` and `qa_marks`: the two entry points, a declared column and a questionnaire item.
"""

from csbatch.sheets.coerce.column import coerce_column
from csbatch.sheets.coerce.context import CoerceContext, Coerced
from csbatch.sheets.coerce.qa_marks import coerce_audit_items

__all__ = ["CoerceContext", "Coerced", "coerce_audit_items", "coerce_column"]
