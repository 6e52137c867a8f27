# An instance with a public address through an elastic IP: a VPC, a
# vSwitch, a group, a pay-as-you-go instance, an alicloud_eip_address and an
# alicloud_eip_association (e2e/terraform/eip_test.go, docs/eips.md).

variable "eip_name" {
  type    = string
  default = "tf-eip"
}

variable "eip_bandwidth" {
  type    = string
  default = "5"
}

resource "alicloud_vpc" "main" {
  vpc_name   = "tf-eip-vpc"
  cidr_block = "10.0.0.0/16"
}

resource "alicloud_vswitch" "main" {
  vpc_id       = alicloud_vpc.main.id
  vswitch_name = "tf-eip-vswitch"
  cidr_block   = "10.0.1.0/24"
  zone_id      = "cn-hangzhou-h"
}

resource "alicloud_security_group" "main" {
  vpc_id              = alicloud_vpc.main.id
  security_group_name = "tf-eip-group"
}

resource "alicloud_instance" "web" {
  instance_name        = "tf-eip-web"
  availability_zone    = alicloud_vswitch.main.zone_id
  instance_type        = "ecs.g7.large"
  image_id             = "aliyun_3_x64_20G_alibase_20240819.vhd"
  vswitch_id           = alicloud_vswitch.main.id
  security_groups      = [alicloud_security_group.main.id]
  system_disk_category = "cloud_essd"
}

resource "alicloud_eip_address" "web" {
  address_name         = var.eip_name
  description          = "the web address"
  bandwidth            = var.eip_bandwidth
  internet_charge_type = "PayByTraffic"
  payment_type         = "PayAsYouGo"
  tags = {
    Environment = "test"
  }
}

resource "alicloud_eip_association" "web" {
  allocation_id = alicloud_eip_address.web.id
  instance_id   = alicloud_instance.web.id
}

output "instance_id" {
  value = alicloud_instance.web.id
}

output "eip_id" {
  value = alicloud_eip_address.web.id
}

output "eip_address" {
  value = alicloud_eip_address.web.ip_address
}
