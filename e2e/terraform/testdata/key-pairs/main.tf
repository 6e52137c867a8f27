# SSH key pairs: one through alicloud_ecs_key_pair (tagged) and one through
# the older alicloud_key_pair, both from fixed public keys, and an instance
# that logs in with one of them (key_name). Changing instance_key moves the
# instance to the other key pair. The harness adds the provider block.

variable "instance_key" {
  type    = string
  default = "first" # or "second"
}

resource "alicloud_ecs_key_pair" "first" {
  key_pair_name = "tf-key-first"
  public_key    = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN7+mZdqckogmw890WwVGQ+1Kr/toQPrGb4KV87B4MCb openecs-test-1"
  tags = {
    Environment = "test"
  }
}

resource "alicloud_key_pair" "second" {
  key_pair_name = "tf-key-second"
  public_key    = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMaIgtITkd6XtrHTt21kYVNbm0zUPjBCUPZbiaDZ/tYi openecs-test-2"
}

locals {
  key_names = {
    first  = alicloud_ecs_key_pair.first.key_pair_name
    second = alicloud_key_pair.second.key_pair_name
  }
}

resource "alicloud_vpc" "main" {
  vpc_name   = "tf-keys"
  cidr_block = "10.1.0.0/16"
}

resource "alicloud_vswitch" "main" {
  vpc_id       = alicloud_vpc.main.id
  vswitch_name = "tf-keys"
  cidr_block   = "10.1.1.0/24"
  zone_id      = "cn-hangzhou-h"
}

resource "alicloud_security_group" "main" {
  vpc_id              = alicloud_vpc.main.id
  security_group_name = "tf-keys"
}

resource "alicloud_instance" "main" {
  instance_name        = "tf-keys"
  availability_zone    = alicloud_vswitch.main.zone_id
  instance_type        = "ecs.g7.large"
  image_id             = "ubuntu_22_04_x64_20G_alibase_20240926.vhd"
  instance_charge_type = "PostPaid"
  vswitch_id           = alicloud_vswitch.main.id
  security_groups      = [alicloud_security_group.main.id]
  system_disk_category = "cloud_essd"
  key_name             = local.key_names[var.instance_key]
}

output "instance_id" {
  value = alicloud_instance.main.id
}

output "first_fingerprint" {
  value = alicloud_ecs_key_pair.first.finger_print
}

output "second_fingerprint" {
  value = alicloud_key_pair.second.finger_print
}
