/**
 * Wheel (PEP 427, https://peps.python.org/pep-0427/) and source distribution (PEP 625)
 * filenames.
 */
export {};
