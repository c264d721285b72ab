// Limits git format-patch and the kernel's rules put on lines, subjects and file names.

/** submitting-patches.rst: the summary "must be no more than 70-75 characters". */
export const MAX_SUBJECT = 75;
export const MAIL_WRAP = 72; // git's MAIL_DEFAULT_WRAP (diffstat, shortlog)
export const HEADER_WRAP = 78; // rfc2822 line length git folds headers at
export const NAME_MAX = 64; // git format-patch --filename-max-length default
