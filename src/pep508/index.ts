/**
 * PEP 508 dependency specifiers and environment markers (https://peps.python.org/pep-0508/),
 * plus PEP 503 name normalization (https://peps.python.org/pep-0503/).
 */
export {};
