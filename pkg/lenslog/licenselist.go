package lenslog

import (
	"errors"
	"fmt"

	"github.com/lenslog/lenslog/pkg/analysis"
	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// LicenseList loads the account's license list as the license analyses
// read it (analysis.LicenseList): its licenses (product/GetKeys), their
// activated machines and its customers (customer/GetCustomers), as of the
// account's now, and the changes between the snapshots kept of it (which
// tell the trials converted by clearing their trial flag). Product narrows it to one product's licenses. A token
// that may not read the customers still gives the list, its customers
// named by their id; one that may not read the licenses gets a
// *PermissionError naming the permission, and a server without the
// method an error wrapping analysis.ErrNoData (a notebook says so and
// skips the cell).
func (a *Account) LicenseList(filters ...Filter) (analysis.LicenseList, error) {
	lics, err := a.LicenseKeys(filters...)
	if err != nil {
		return analysis.LicenseList{}, noList(err)
	}
	machines, err := a.Machines(filters...)
	if err != nil {
		return analysis.LicenseList{}, noList(err)
	}
	customers, err := a.Customers()
	if pe := (*PermissionError)(nil); errors.As(err, &pe) {
		customers, err = nil, nil
	}
	if err != nil {
		return analysis.LicenseList{}, err
	}
	changes, err := a.InventoryChanges(All(), filters...)
	if pe, nd := (*PermissionError)(nil), (*NoDataError)(nil); errors.As(err, &pe) || errors.As(err, &nd) {
		changes, err = nil, nil // no history: no trial known to have converted
	}
	if err != nil {
		return analysis.LicenseList{}, err
	}
	return analysis.LicenseList{Licenses: lics, Machines: machines, Customers: customers, Changes: changes}, nil
}

// noList turns a server's "no such method" into the error of a parameter
// that names nothing: an account without a license list is the
// account's, not a fault.
func noList(err error) error {
	if errors.Is(err, cryptolens.ErrNoMethod) {
		return fmt.Errorf("%w: the server has no license list (%s answers that it has no such method)", analysis.ErrNoData, cryptolens.MethodGetKeys)
	}
	return err
}
