"""Reading and writing: YAML with line maps, CSV, atomic files, plugins, and loading files into the model."""
