# Everything a first ECS configuration makes, in one configuration whose
# steps change it in place: the three data sources, a VPC, a vSwitch, two
# security groups, one with an ingress and an egress rule, a pay-as-you-go
# instance in them (data disks, tags, user data, public bandwidth) and a
# subscription (PrePaid) instance beside it. The variables are what the
# test's later steps change (network_test.go). The harness adds the provider
# block.

variable "vpc_name" {
  type    = string
  default = "tf-vpc"
}

variable "vswitch_name" {
  type    = string
  default = "tf-vswitch"
}

variable "group_name" {
  type    = string
  default = "tf-group"
}

variable "instance_name" {
  type    = string
  default = "tf-instance"
}

variable "instance_type" {
  type    = string
  default = "ecs.g7.large"
}

variable "status" {
  type    = string
  default = "Running"
}

variable "environment" {
  type    = string
  default = "test"
}

variable "system_disk_size" {
  type    = number
  default = 40
}

variable "user_data" {
  type    = string
  default = "#!/bin/sh\necho hello from terraform\n"
}

variable "extra_tags" {
  type = map(string)
  default = {
    Team = "platform"
  }
}

variable "inner_access_policy" {
  type    = string
  default = "Accept"
}

variable "in_admin_group" {
  type    = bool
  default = false
}

variable "bandwidth_out" {
  type    = number
  default = 0
}

variable "renewal_status" {
  type    = string
  default = "Normal"
}

variable "ssh_description" {
  type    = string
  default = "ssh from anywhere"
}

data "alicloud_zones" "default" {
  available_instance_type     = "ecs.g7.large"
  available_disk_category     = "cloud_essd"
  available_resource_creation = "VSwitch"
}

data "alicloud_instance_types" "default" {
  cpu_core_count = 2
  memory_size    = 8
}

data "alicloud_images" "ubuntu" {
  name_regex  = "^ubuntu_22"
  owners      = "system"
  most_recent = true
}

resource "alicloud_vpc" "main" {
  vpc_name    = var.vpc_name
  cidr_block  = "10.0.0.0/16"
  description = "made by terraform"
  tags = {
    Environment = var.environment
  }
}

resource "alicloud_vswitch" "main" {
  vpc_id       = alicloud_vpc.main.id
  vswitch_name = var.vswitch_name
  cidr_block   = "10.0.1.0/24"
  zone_id      = data.alicloud_zones.default.zones[0].id
  tags = {
    Environment = var.environment
  }
}

resource "alicloud_security_group" "main" {
  vpc_id              = alicloud_vpc.main.id
  security_group_name = var.group_name
  description         = "web servers"
  inner_access_policy = var.inner_access_policy
  tags = {
    Environment = var.environment
  }
}

resource "alicloud_security_group" "admin" {
  vpc_id              = alicloud_vpc.main.id
  security_group_name = "tf-admin"
  description         = "reached from the bastion"
}

resource "alicloud_security_group_rule" "ssh" {
  type              = "ingress"
  ip_protocol       = "tcp"
  port_range        = "22/22"
  cidr_ip           = "0.0.0.0/0"
  policy            = "accept"
  priority          = 1
  nic_type          = "intranet"
  security_group_id = alicloud_security_group.main.id
  description       = var.ssh_description
}

resource "alicloud_security_group_rule" "https_out" {
  type              = "egress"
  ip_protocol       = "tcp"
  port_range        = "443/443"
  cidr_ip           = "0.0.0.0/0"
  policy            = "accept"
  priority          = 10
  nic_type          = "intranet"
  security_group_id = alicloud_security_group.main.id
  description       = "https to anywhere"
}

locals {
  # The web server joins the admin group, and leaves it, as a step says.
  web_groups = concat([alicloud_security_group.main.id], var.in_admin_group ? [alicloud_security_group.admin.id] : [])
}

resource "alicloud_instance" "web" {
  instance_name              = var.instance_name
  availability_zone          = alicloud_vswitch.main.zone_id
  instance_type              = var.instance_type
  image_id                   = data.alicloud_images.ubuntu.images[0].id
  instance_charge_type       = "PostPaid"
  vswitch_id                 = alicloud_vswitch.main.id
  security_groups            = local.web_groups
  internet_max_bandwidth_out = var.bandwidth_out
  system_disk_category       = "cloud_essd"
  system_disk_size           = var.system_disk_size
  status                     = var.status
  user_data                  = base64encode(var.user_data)

  data_disks {
    name                 = "data-1"
    category             = "cloud_essd"
    size                 = 100
    delete_with_instance = true
  }

  data_disks {
    name                 = "data-2"
    category             = "cloud_efficiency"
    size                 = 50
    delete_with_instance = true
  }

  tags = merge({ Environment = var.environment }, var.extra_tags)
}

resource "alicloud_instance" "reserved" {
  instance_name        = "tf-prepaid"
  availability_zone    = alicloud_vswitch.main.zone_id
  instance_type        = "ecs.g7.large"
  image_id             = data.alicloud_images.ubuntu.images[0].id
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

output "vpc_id" {
  value = alicloud_vpc.main.id
}

output "vswitch_id" {
  value = alicloud_vswitch.main.id
}

output "group_id" {
  value = alicloud_security_group.main.id
}

output "instance_id" {
  value = alicloud_instance.web.id
}

output "prepaid_id" {
  value = alicloud_instance.reserved.id
}

output "admin_group_id" {
  value = alicloud_security_group.admin.id
}

output "zone_id" {
  value = alicloud_vswitch.main.zone_id
}

output "private_ip" {
  value = alicloud_instance.web.private_ip
}
