package cryptolens

import "strconv"

// ResourceType is the kind of object an Object Log entry is about.
type ResourceType int

// ResourceAction is what was done to the object.
type ResourceAction int

// The resource types, in the documented order. Whether Cryptolens numbers
// them from 0 or 1 is not confirmed: resourceTypeBase is the one place to
// correct it.
const (
	ResourceUnspecified ResourceType = resourceTypeBase + iota
	ResourceCustomer
	ResourceIssuedLicense
	ResourceLicenseKey
	ResourceLicenseIssuance
	ResourceProduct
	ResourceDataObject
)

// The resource actions, in the documented order; actionBase is the one
// place to correct their numbering.
const (
	ActionNone ResourceAction = actionBase + iota
	ActionAdded
	ActionUpdated
	ActionDeleted
)

// The first value of each enum (0 as in C# enums; unconfirmed).
const (
	resourceTypeBase = 0
	actionBase       = 0
)

var resourceTypeNames = []string{"Unspecified", "Customer", "IssuedLicense", "LicenseKey",
	"LicenseIssuance", "Product", "DataObject"}

var actionNames = []string{"None", "Added", "Updated", "Deleted"}

// String names the type, or "ResourceType(N)" for an unknown number.
func (t ResourceType) String() string {
	if i := int(t) - resourceTypeBase; i >= 0 && i < len(resourceTypeNames) {
		return resourceTypeNames[i]
	}
	return "ResourceType(" + strconv.Itoa(int(t)) + ")"
}

// String names the action, or "ResourceAction(N)" for an unknown number.
func (a ResourceAction) String() string {
	if i := int(a) - actionBase; i >= 0 && i < len(actionNames) {
		return actionNames[i]
	}
	return "ResourceAction(" + strconv.Itoa(int(a)) + ")"
}
