package adminapi

// Error is the body of every admin answer that is not 2xx. Code is the ECS
// error code when the failure is one (e.g. "InvalidParameter"), absent
// otherwise.
type Error struct {
	Code    string `json:"code,omitempty"`
	Message string `json:"error"`
}
