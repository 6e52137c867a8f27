# A first ECS configuration against OpenECS: look up a zone, an instance
# type and an image; make a VPC, a vSwitch, a security group that lets SSH
# in, and one tagged pay-as-you-go instance. README.md says how to run it.

terraform {
  required_providers {
    alicloud = {
      source  = "aliyun/alicloud"
      version = "1.289.0" # the version OpenECS is tested with
    }
  }
}

provider "alicloud" {
  region                 = "cn-hangzhou"
  access_key             = "test"
  secret_key             = "test"
  protocol               = "HTTP"     # the provider's default is HTTPS
  skip_region_validation = true       # do not check the region against the cloud's own list
  account_type           = "Domestic" # else it asks the billing API (not served here) which site the account is on
  endpoints {
    ecs = "127.0.0.1:8686"
    vpc = "127.0.0.1:8686"
  }
}

# A zone where vSwitches can be made and ESSD disks are sold.
data "alicloud_zones" "default" {
  available_disk_category     = "cloud_essd"
  available_resource_creation = "VSwitch"
}

# The instance types of 2 vCPUs and 8 GiB sold in that zone.
data "alicloud_instance_types" "default" {
  availability_zone = data.alicloud_zones.default.zones[0].id
  cpu_core_count    = 2
  memory_size       = 8
}

# The newest public Ubuntu 22.04 image.
data "alicloud_images" "ubuntu" {
  name_regex  = "^ubuntu_22"
  owners      = "system"
  most_recent = true
}

resource "alicloud_vpc" "main" {
  vpc_name   = "example"
  cidr_block = "10.0.0.0/16"
}

resource "alicloud_vswitch" "main" {
  vpc_id       = alicloud_vpc.main.id
  vswitch_name = "example"
  cidr_block   = "10.0.1.0/24"
  zone_id      = data.alicloud_zones.default.zones[0].id
}

resource "alicloud_security_group" "ssh" {
  vpc_id              = alicloud_vpc.main.id
  security_group_name = "example-ssh"
  description         = "SSH from anywhere"
}

resource "alicloud_security_group_rule" "ssh" {
  type              = "ingress"
  ip_protocol       = "tcp"
  port_range        = "22/22"
  cidr_ip           = "0.0.0.0/0"
  policy            = "accept"
  priority          = 1
  nic_type          = "intranet"
  security_group_id = alicloud_security_group.ssh.id
}

resource "alicloud_instance" "web" {
  instance_name        = "example-web"
  availability_zone    = alicloud_vswitch.main.zone_id
  instance_type        = data.alicloud_instance_types.default.instance_types[0].id
  image_id             = data.alicloud_images.ubuntu.images[0].id
  instance_charge_type = "PostPaid"
  vswitch_id           = alicloud_vswitch.main.id
  security_groups      = [alicloud_security_group.ssh.id]
  system_disk_category = "cloud_essd"
  system_disk_size     = 40

  tags = {
    Environment = "dev"
  }
}

output "instance_id" {
  value = alicloud_instance.web.id
}

output "instance_type" {
  value = alicloud_instance.web.instance_type
}

output "private_ip" {
  value = alicloud_instance.web.private_ip
}
