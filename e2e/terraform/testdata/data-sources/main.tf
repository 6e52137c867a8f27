# The data sources of a typical first configuration: a zone that sells the
# instance type and the disk category, the instance types of a size, and the
# newest public image whose name matches. The harness adds the provider block.

variable "instance_type" {
  type    = string
  default = "ecs.g7.large"
}

variable "disk_category" {
  type    = string
  default = "cloud_essd"
}

variable "cpu_core_count" {
  type    = number
  default = 2
}

variable "memory_size" {
  type    = number
  default = 8
}

variable "image_name_regex" {
  type    = string
  default = "^ubuntu_22"
}

data "alicloud_zones" "default" {
  available_instance_type = var.instance_type
  available_disk_category = var.disk_category
}

data "alicloud_instance_types" "default" {
  cpu_core_count = var.cpu_core_count
  memory_size    = var.memory_size
}

data "alicloud_images" "default" {
  name_regex  = var.image_name_regex
  owners      = "system"
  most_recent = true
}

output "zone_ids" {
  value = data.alicloud_zones.default.ids
}

output "instance_types" {
  value = [for t in data.alicloud_instance_types.default.instance_types : {
    id             = t.id
    cpu_core_count = t.cpu_core_count
    memory_size    = t.memory_size
    family         = t.family
    zones          = t.availability_zones
  }]
}

output "image" {
  value = {
    id            = data.alicloud_images.default.images[0].id
    os_type       = data.alicloud_images.default.images[0].os_type
    architecture  = data.alicloud_images.default.images[0].architecture
    creation_time = data.alicloud_images.default.images[0].creation_time
    owner_alias   = data.alicloud_images.default.images[0].image_owner_alias
  }
}
