package openecs

// The errors of SSH key pairs (docs/keypairs.md): codes, statuses and
// messages as the API pages of CreateKeyPair, ImportKeyPair,
// DescribeKeyPairs, DeleteKeyPairs, AttachKeyPair, DetachKeyPair and
// RunInstances give them.
var (
	ErrKeyPairNameMalformed = def(400, "InvalidKeyPairName.Malformed", "Specified Key Pair name is not valid.")
	ErrKeyPairExists        = def(400, "KeyPair.AlreadyExist", "The key pair already exist.")
	ErrPublicKeyMalformed   = def(400, "InvalidPublicKeyBody.Malformed", "The PublicKeyBody format is not supported.")
	ErrKeyPairQuota         = def(403, "QuotaExceed.KeyPair", "The key pair quota exceeds.")
	// ErrKeyPairNotFound is what RunInstances and CreateInstance answer for
	// a KeyPairName the caller has no key pair of (404 on their pages).
	ErrKeyPairNotFound = def(404, "InvalidKeyPairName.NotFound", "The specified parameter \"KeyPairName\" does not exist in our records.")
	// ErrKeyPairNotFoundAttach is AttachKeyPair's and DetachKeyPair's (400
	// on their pages).
	ErrKeyPairNotFoundAttach = def(400, "InvalidKeyPairName.NotFound", "The specified KeyPairName does not exist in our records.")
	ErrKeyPairWindows        = def(403, "DependencyViolation.WindowsInstance", "The instance creating is windows, cannot use ssh key pair to login")
	ErrKeyPairInstanceIDs    = def(400, "InvalidInstanceIds.ValueNotSupported", "The specified parameter InstanceIds is not valid.")
	ErrKeyPairNamesInvalid   = def(400, "InvalidKeyPairNames.ValueNotSupported", "The specified parameter \"KeyPairNames\" is not valid.")
	ErrKeyPairInUse          = def(400, "InvalidParameter.KeypairAlreadyAttachedInstance", "The specified parameter \"KeyPairNames\" attached to instances can not be deleted.")
	ErrKeyPairDeleteTooMany  = def(403, "InstanceKeyPairLimitExceeded", "Exceeding the allowed amount of instance which will be deleted.")
)
