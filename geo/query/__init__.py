"""What a selection holds: the filters and the features they select, search by any name, statistics of an area,
side-by-side comparison, the project register, the plans a map's features come from, and the filter options every
command line shares."""
