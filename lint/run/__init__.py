"""Stage 4 and the driver: the engine runs rules on a file's facts and the project model; the
runner, pool and cache run it over many files."""
