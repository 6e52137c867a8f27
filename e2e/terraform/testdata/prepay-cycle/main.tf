# One subscription (PrePaid) instance through its life: bought for a month,
# its type and its renewal changed in place, destroyed (force_delete turns
# it into pay-as-you-go first). The network is its own, so that nothing is
# left after the destroy; the zone and image are named outright, to keep
# the data sources' calls out of a test about the instance (prepay_test.go).
# The harness adds the provider block.

variable "instance_type" {
  type    = string
  default = "ecs.g7.large"
}

variable "renewal_status" {
  type    = string
  default = "Normal"
}

resource "alicloud_vpc" "main" {
  vpc_name   = "tf-prepay-vpc"
  cidr_block = "10.1.0.0/16"
}

resource "alicloud_vswitch" "main" {
  vpc_id       = alicloud_vpc.main.id
  vswitch_name = "tf-prepay-vswitch"
  cidr_block   = "10.1.1.0/24"
  zone_id      = "cn-hangzhou-h"
}

resource "alicloud_security_group" "main" {
  vpc_id              = alicloud_vpc.main.id
  security_group_name = "tf-prepay-group"
}

resource "alicloud_instance" "sub" {
  instance_name        = "tf-subscription"
  availability_zone    = alicloud_vswitch.main.zone_id
  instance_type        = var.instance_type
  image_id             = "aliyun_3_x64_20G_alibase_20240819.vhd"
  instance_charge_type = "PrePaid"
  period               = 1
  period_unit          = "Month"
  renewal_status       = var.renewal_status
  auto_renew_period    = var.renewal_status == "AutoRenewal" ? 1 : null
  force_delete         = true
  vswitch_id           = alicloud_vswitch.main.id
  security_groups      = [alicloud_security_group.main.id]
  system_disk_category = "cloud_essd"
  system_disk_size     = 40
}

output "instance_id" {
  value = alicloud_instance.sub.id
}
