// Package adminapi declares the admin API's wire types: the body of every
// request to /admin/v1/… and of every answer, each once. The server (package
// admin) encodes exactly these types and the client (package client)
// decodes them, so the two cannot drift apart; docs/admin-api.md describes
// the contract and e2e/testdata/admin/ pins the bytes of every answer.
//
// The rules of the wire, kept by the field types and tags:
//
//   - Money is a JSON string ("100.00", "0.0875"): openecs.Money.
//   - A time is an RFC 3339 string in UTC to the second: Time. A time that
//     may be unset is either "" (the field is always there) or absent
//     (`omitzero`), as each type says.
//   - Lists are [] rather than null where the server has always sent [].
//   - Keys are in the order the server has always written them. Answers
//     that used to be JSON objects built from maps keep their keys in
//     alphabetical order, so their fields are declared alphabetically.
//
// The package depends on the domain package and the standard library only,
// so that any Go program may use it without the server.
package adminapi
