/**
 * A content-addressed cache for wheels and HTTP responses over an injected store.
 */
export {};
