package openecs

// ReservedReader holds the reserved-instance read methods.
type ReservedReader interface{}

// ReservedWriter holds the reserved-instance write methods.
type ReservedWriter interface{}
