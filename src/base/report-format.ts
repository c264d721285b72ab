// The version of the JSON report format (`version` of the convert and scan
// reports; docs/json.md). Adding an optional field keeps it; removing or
// renaming a field, or changing what a value means, adds one.
export const REPORT_FORMAT = 1;
