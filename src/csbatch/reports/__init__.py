"""Writers of what the close produces: the `data/*.csv` contract tables and the workbooks."""
