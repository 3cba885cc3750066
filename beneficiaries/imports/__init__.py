"""Import of spreadsheets (XLSX, CSV) into a project: read, check every row, save all or
nothing. Views, the ``import_data`` command and the benchmark share this package."""
