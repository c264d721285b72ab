// The subject-prefix conventions mmapify falls back on when the tree has no
// git history to learn them from (prefix-history.ts), kept as data: each row
// says where its prefix comes from, so that a wrong one can be checked and
// fixed against its source.
//
// Sources cited:
// - "MAINTAINERS: NAME": the section of the kernel's MAINTAINERS file that
//   owns the path (its name, or its T:/P: entries, give the prefix).
// - "upstream mmap_prepare series": the subjects of the upstream conversion
//   of f_op->mmap to mmap_prepare (linux-mm, 2025-2026), which used "mm:",
//   "mm/vma:", "misc: open-dice:", "hpet:", "staging: vme_user:", "uio:",
//   "scsi: sg:", "HSI: cmt_speech:", "selinux:", "ALSA: pcm:",
//   "fbdev: defio:" and "bpf: arena:".
// - "Documentation/process/...": the kernel's own process documents.
// - "subsystem log": the prefix the subsystem's own commits use in
//   linux.git's history for these files.
//
// The first row whose pattern matches a path wins; $1.. refer to its groups.

/** One table row. */
export interface PrefixRule {
	pattern: RegExp;
	prefix: string;
	/** where the prefix comes from (see above); rules made from --prefix have none */
	source?: string;
}

const UPSTREAM = 'upstream mmap_prepare series';
const row = (pattern: RegExp, prefix: string, source: string): PrefixRule => ({ pattern, prefix, source });

// Component names in drivers/hv drop the "_main"/"_drv" of their file name:
// mshv_vtl_main.c -> "mshv_vtl", vmbus_drv.c -> "vmbus".
export const PREFIX_RULES: readonly PrefixRule[] = [
	// memory management and its mirrors
	row(/^mm\/secretmem\.c$/, 'mm/secretmem:', 'MAINTAINERS: MEMORY MANAGEMENT - SECRETMEM'),
	row(/^(?:mm\/vma[^/]*\.[ch]|tools\/testing\/vma\/)/, 'mm/vma:', `${UPSTREAM} ("mm/vma:")`),
	row(/^(?:mm\/|include\/linux\/mm[^/]*\.h$|include\/linux\/shmem_fs\.h$)/, 'mm:', `${UPSTREAM} ("mm:")`),
	row(/^(?:kernel\/dma\/|include\/linux\/dma-map[^/]*\.h$)/, 'dma-mapping:', 'MAINTAINERS: DMA MAPPING HELPERS; subsystem log'),
	// Hyper-V and UIO
	row(/^drivers\/hv\/mshv_root[^/]*\.[ch]$/, 'mshv:', 'MAINTAINERS: Hyper-V/Azure CORE AND DRIVERS; subsystem log ("mshv:")'),
	row(/^drivers\/hv\/(?:hv_)?([^/]+?)(?:_main|_drv)?\.[ch]$/, 'Drivers: hv: $1:', 'MAINTAINERS: Hyper-V/Azure CORE AND DRIVERS; subsystem log'),
	row(/^(?:drivers\/hv\/|include\/linux\/hyperv\.h$)/, 'Drivers: hv:', 'MAINTAINERS: Hyper-V/Azure CORE AND DRIVERS; subsystem log'),
	row(/^drivers\/uio\/uio_hv_generic\.c$/, 'uio_hv_generic:', 'MAINTAINERS: Hyper-V/Azure CORE AND DRIVERS; subsystem log'),
	row(/^(?:drivers\/uio\/|include\/linux\/uio_driver\.h$)/, 'uio:', `${UPSTREAM} ("uio:")`),
	// char and misc
	row(/^drivers\/char\/hpet\.c$/, 'hpet:', `${UPSTREAM} ("hpet:")`),
	row(/^drivers\/char\/mem\.c$/, '/dev/mem:', 'subsystem log'),
	row(/^drivers\/char\/([^/]+?)(?:\.c|\/.*)$/, 'char: $1:', 'MAINTAINERS: CHAR and MISC DRIVERS'),
	row(/^drivers\/misc\/([^/]+?)(?:\.c|\/.*)$/, 'misc: $1:', `${UPSTREAM} ("misc: open-dice:")`),
	// other driver subsystems with a settled prefix
	row(/^drivers\/xen\/([^/]+)\.c$/, 'xen/$1:', 'MAINTAINERS: XEN HYPERVISOR INTERFACE; subsystem log'),
	row(/^drivers\/target\/target_core_user\.c$/, 'scsi: target: tcmu:', 'MAINTAINERS: SCSI TARGET CORE USER DRIVER'),
	row(/^drivers\/target\//, 'scsi: target:', 'MAINTAINERS: SCSI TARGET SUBSYSTEM'),
	row(/^drivers\/scsi\/([^/]+?)(?:\.c|\/.*)$/, 'scsi: $1:', `${UPSTREAM} ("scsi: sg:")`),
	row(/^drivers\/staging\/([^/]+)\//, 'staging: $1:', `${UPSTREAM} ("staging: vme_user:")`),
	row(/^drivers\/mtd\/([^/]+?)(?:\.c|\/.*)$/, 'mtd: $1:', 'MAINTAINERS: MEMORY TECHNOLOGY DEVICES (MTD)'),
	row(/^drivers\/hwtracing\/stm\//, 'stm class:', 'MAINTAINERS: SYSTEM TRACE MODULE CLASS'),
	row(/^drivers\/dax\//, 'device-dax:', 'MAINTAINERS: DEVICE DIRECT ACCESS (DAX); subsystem log'),
	row(/^include\/linux\/dax\.h$/, 'dax:', 'MAINTAINERS: FILESYSTEM DIRECT ACCESS (DAX)'),
	row(/^drivers\/vdpa\/vdpa_user\//, 'vduse:', 'MAINTAINERS: VIRTIO CORE; subsystem log'),
	row(/^drivers\/vhost\/vdpa\.c$/, 'vhost-vdpa:', 'MAINTAINERS: VIRTIO HOST (VHOST); subsystem log ("vhost-vdpa:")'),
	row(/^drivers\/vhost\//, 'vhost:', 'MAINTAINERS: VIRTIO HOST (VHOST)'),
	row(/^drivers\/dma-buf\/udmabuf\.c$/, 'udmabuf:', 'MAINTAINERS: USERSPACE DMA BUFFER DRIVER'),
	row(/^drivers\/dma-buf\/heaps\//, 'dma-buf: heaps:', 'MAINTAINERS: DMA-BUF HEAPS FRAMEWORK'),
	row(/^(?:drivers\/dma-buf\/|include\/linux\/dma-buf\.h$)/, 'dma-buf:', 'MAINTAINERS: DMA BUFFER SHARING FRAMEWORK'),
	row(/^drivers\/gpu\/drm\/([^/]+)\//, 'drm/$1:', 'MAINTAINERS: DRM DRIVERS; subsystem log'),
	row(/^drivers\/gpu\/drm\//, 'drm:', 'MAINTAINERS: DRM DRIVERS'),
	row(/^drivers\/video\/fbdev\/core\/fb_defio\.c$/, 'fbdev: defio:', `${UPSTREAM} ("fbdev: defio:")`),
	row(/^drivers\/video\/fbdev\//, 'fbdev:', 'MAINTAINERS: FRAMEBUFFER CORE; subsystem log'),
	row(/^drivers\/infiniband\/(?:hw|sw|ulp)?\/?([^/]+)\//, 'RDMA/$1:', 'MAINTAINERS: INFINIBAND SUBSYSTEM; subsystem log'),
	row(/^drivers\/vfio\/pci\//, 'vfio/pci:', 'MAINTAINERS: VFIO DRIVER; subsystem log'),
	row(/^drivers\/vfio\//, 'vfio:', 'MAINTAINERS: VFIO DRIVER'),
	row(/^drivers\/firewire\/core-/, 'firewire: core:', 'MAINTAINERS: FIREWIRE SUBSYSTEM; subsystem log'),
	row(/^drivers\/media\/(?:[^/]+\/)*([^/]+)\/[^/]+$/, 'media: $1:', 'MAINTAINERS: MEDIA INPUT INFRASTRUCTURE (V4L/DVB); subsystem log'),
	row(/^drivers\/acpi\/([^/]+?)\.c$/, 'ACPI: $1:', 'MAINTAINERS: ACPI; subsystem log ("ACPI: pfr_telemetry:")'),
	row(/^drivers\/hsi\/clients\/([^/]+?)\.c$/, 'HSI: $1:', `${UPSTREAM} ("HSI: cmt_speech:")`),
	row(/^drivers\/hsi\//, 'HSI:', 'MAINTAINERS: HSI SUBSYSTEM'),
	// file systems
	row(/^fs\/smb\/client\//, 'smb: client:', 'MAINTAINERS: COMMON INTERNET FILE SYSTEM CLIENT (CIFS and SMB3); subsystem log'),
	row(/^fs\/resctrl\//, 'fs/resctrl:', 'Documentation/process/maintainer-tip.rst'),
	row(/^fs\/aio\.c$/, 'aio:', 'MAINTAINERS: AIO; subsystem log'),
	row(/^fs\/([^/]+)\//, '$1:', 'MAINTAINERS: the file system\'s own section; subsystem log'),
	row(/^(?:fs\/[^/]+$|include\/linux\/fs\.h$)/, 'fs:', 'MAINTAINERS: FILESYSTEMS (VFS and infrastructure)'),
	// security and virtualisation
	row(/^security\/selinux\//, 'selinux:', `${UPSTREAM} ("selinux:")`),
	row(/^security\/([^/]+)\//, '$1:', 'MAINTAINERS: the security module\'s own section'),
	row(/^virt\/kvm\/guest_memfd\.c$/, 'KVM: guest_memfd:', 'MAINTAINERS: KVM GUEST_MEMFD; subsystem log ("KVM: guest_memfd:")'),
	row(/^(?:virt\/kvm\/|include\/linux\/kvm_host\.h$)/, 'KVM:', 'MAINTAINERS: KERNEL VIRTUAL MACHINE (KVM); Documentation/process/maintainer-kvm-x86.rst'),
	row(/^arch\/powerpc\/kvm\//, 'KVM: PPC:', 'MAINTAINERS: KERNEL VIRTUAL MACHINE FOR POWERPC (KVM/powerpc); subsystem log'),
	row(/^arch\/x86\/kvm\//, 'KVM: x86:', 'Documentation/process/maintainer-kvm-x86.rst'),
	// core kernel, sound, arch
	row(/^kernel\/events\//, 'perf/core:', 'Documentation/process/maintainer-tip.rst'),
	row(/^kernel\/bpf\/arena\.c$/, 'bpf: arena:', `${UPSTREAM} ("bpf: arena:")`),
	row(/^kernel\/bpf\//, 'bpf:', 'MAINTAINERS: BPF [GENERAL] (Safe Dynamic Programs and Tools)'),
	row(/^kernel\/([^/]+)\.c$/, '$1:', 'subsystem log'),
	row(/^sound\/soc\/(?:[^/]+\/)*([^/]+)\/[^/]+$/, 'ASoC: $1:', 'MAINTAINERS: SOUND - SOC LAYER / DYNAMIC AUDIO POWER MANAGEMENT (ASoC)'),
	row(/^sound\/core\/pcm[^/]*\.c$/, 'ALSA: pcm:', `${UPSTREAM} ("ALSA: pcm:")`),
	row(/^sound\/core\/compress_offload\.c$/, 'ALSA: compress:', 'MAINTAINERS: SOUND - COMPRESSED AUDIO; subsystem log'),
	row(/^sound\/core\/([^/]+?)\.c$/, 'ALSA: $1:', 'MAINTAINERS: SOUND; subsystem log ("ALSA: hwdep:", "ALSA: memalloc:")'),
	row(/^sound\/([^/]+)\//, 'ALSA: $1:', 'MAINTAINERS: SOUND'),
	row(/^arch\/powerpc\/platforms\/cell\/spufs\//, 'powerpc/spufs:', 'MAINTAINERS: SPU FILE SYSTEM; subsystem log'),
	row(/^arch\/x86\/kernel\/cpu\/resctrl\//, 'x86/resctrl:', 'Documentation/process/maintainer-tip.rst'),
	row(/^block\//, 'block:', 'MAINTAINERS: BLOCK LAYER'),
	row(/^io_uring\//, 'io_uring:', 'MAINTAINERS: IO_URING'),
];
