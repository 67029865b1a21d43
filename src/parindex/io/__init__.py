"""Reading and writing: YAML with line maps, CSV, XLSX, atomic files, plugins, and loading files
into the model."""
