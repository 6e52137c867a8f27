package openecs

// ReservedReader holds the reserved-instance read methods.
type ReservedReader interface {
	// ReservedInstance returns one reserved instance; ErrNotFound if none.
	ReservedInstance(id string) (*ReservedInstance, error)
	// ReservedInstances lists the reserved instances the filter selects,
	// oldest purchase first.
	ReservedInstances(f ReservedFilter) ([]*ReservedInstance, error)
	// CountReservedInstances counts them (Offset and Limit ignored).
	CountReservedInstances(f ReservedFilter) (int, error)
	// CoverableInstances returns the instances a reserved instance could cover
	// at the billing point f.Hour (see CoverFilter), by Seq, at most f.Limit.
	CoverableInstances(f CoverFilter) ([]*Instance, error)

	// SalesState returns the sales state of a region (zoneID "") or a zone;
	// ErrNotFound when none was set (sales are open).
	SalesState(regionID, zoneID string) (*SalesState, error)
	// SalesStates lists every state set, by region and zone.
	SalesStates() ([]SalesState, error)
}

// ReservedWriter holds the reserved-instance write methods.
type ReservedWriter interface {
	// InsertReservedInstance stores a new reserved instance with its tags and
	// sets its Seq and Version. ErrConflict if the id exists.
	InsertReservedInstance(ri *ReservedInstance) error
	// UpdateReservedInstance writes ri if the stored version still equals
	// ri.Version (compare-and-set) and increments ri.Version; ErrConflict
	// otherwise, ErrNotFound if it does not exist.
	UpdateReservedInstance(ri *ReservedInstance) error

	// PutSalesState sets the state of a region or zone; SalesOnSale removes
	// the row.
	PutSalesState(s SalesState) error
}
