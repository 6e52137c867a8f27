package openecs

// ControlsReader holds the read methods of the capacity, quota, spot price,
// KMS key and sales controls.
type ControlsReader interface{}

// ControlsWriter holds their write methods.
type ControlsWriter interface{}
