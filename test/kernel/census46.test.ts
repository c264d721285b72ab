// The 46 file_operations hooks that the census (shared/docs/census.md §2a)
// counts as strictly convertible in Linux 7.3: 29 convert, and each of the
// other 17 is refused for a reason named here (docs/census46.md explains them):
// 10 by the rules, 3 by the hazard classes of issue #11, 4 by the equivalence checker.
// Needs the real 7.3 tree (MMAPIFY_KERNEL_TREE or the test cache); skipped
// without it. Takes ~30 s: it plans the hooks' files and the chains they reach.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planTree, repoRoot } from '../support/helpers.js';

const tree = process.env.MMAPIFY_KERNEL_TREE ?? path.join(repoRoot, '.cache/kernel/7.3/src/linux-source-7.3');

const CONVERTED: Array<[string, string]> = [
	['kvm_spapr_tce_mmap', 'arch/powerpc/kvm/book3s_64_vio.c'],
	['spufs_mem_mmap', 'arch/powerpc/platforms/cell/spufs/file.c'],
	['spufs_cntl_mmap', 'arch/powerpc/platforms/cell/spufs/file.c'],
	['spufs_signal1_mmap', 'arch/powerpc/platforms/cell/spufs/file.c'],
	['spufs_signal2_mmap', 'arch/powerpc/platforms/cell/spufs/file.c'],
	['spufs_mss_mmap', 'arch/powerpc/platforms/cell/spufs/file.c'],
	['spufs_psmap_mmap', 'arch/powerpc/platforms/cell/spufs/file.c'],
	['spufs_mfc_mmap', 'arch/powerpc/platforms/cell/spufs/file.c'],
	['memtrace_mmap', 'arch/powerpc/platforms/powernv/memtrace.c'],
	['sgx_vepc_mmap', 'arch/x86/kernel/cpu/sgx/virt.c'],
	['cs_char_mmap', 'drivers/hsi/clients/cmt_speech.c'],
	['mshv_vp_mmap', 'drivers/hv/mshv_root_main.c'],
	['mshv_vtl_mmap', 'drivers/hv/mshv_vtl_main.c'],
	['mshv_vtl_low_mmap', 'drivers/hv/mshv_vtl_main.c'],
	['bcm_vk_mmap', 'drivers/misc/bcm-vk/bcm_vk_dev.c'],
	// the checker uses the path's equality end == start + PAGE_SIZE to prove the _full form
	['vmclock_miscdev_mmap', 'drivers/ptp/ptp_vmclock.c'],
	['qcom_rmtfs_mem_mmap', 'drivers/soc/qcom/rmtfs_mem.c'],
	['tee_shm_fop_mmap', 'drivers/tee/tee_shm.c'],
	['vduse_domain_mmap', 'drivers/vdpa/vdpa_user/iova_domain.c'],
	['privcmd_mmap', 'drivers/xen/privcmd.c'],
	['xenbus_backend_mmap', 'drivers/xen/xenbus/xenbus_dev_backend.c'],
	['xsd_kva_mmap', 'drivers/xen/xenfs/xenstored.c'],
	['ecryptfs_mmap', 'fs/ecryptfs/file.c'],
	['gfs2_mmap', 'fs/gfs2/file.c'],
	['udf_file_mmap', 'fs/udf/file.c'],
	['sel_mmap_handle_status', 'security/selinux/selinuxfs.c'],
	['sel_mmap_policy', 'security/selinux/selinuxfs.c'],
	['kvm_gmem_mmap', 'virt/kvm/guest_memfd.c'],
	['kvm_vcpu_mmap', 'virt/kvm/kvm_main.c'],
];

/** Refused, with the construct that makes a conversion unprovable. */
const REFUSED: Array<[string, string, string]> = [
	['arc_hl_mmap', 'arch/arc/kernel/arc_hostlink.c', 'failure does more than return an error code'],
	['uv_mmtimer_mmap', 'drivers/char/uv_mmtimer.c', 'failure does more than return an error code'],
	['opal_prd_mmap', 'arch/powerpc/platforms/powernv/opal-prd.c', 'pgprot other than vma->vm_page_prot'],
	['aspeed_lpc_ctrl_mmap', 'drivers/soc/aspeed/aspeed-lpc-ctrl.c', 'pgprot other than vma->vm_page_prot'],
	['aspeed_p2a_mmap', 'drivers/soc/aspeed/aspeed-p2a-ctrl.c', 'pgprot other than vma->vm_page_prot'],
	// the effect analysis stops at the first call it does not know (sgx_encl_may_map(), before sgx_encl_mm_add())
	['sgx_mmap', 'arch/x86/kernel/cpu/sgx/driver.c', 'sgx_encl_may_map(file0->private_data, start0, end0, flags0) [line 109] now runs in mmap_prepare'],
	// __shm_open() is no longer refused by name; the store into the shm file's vm_ops is
	['shm_mmap', 'ipc/shm.c', 'writes sfd->vm_ops, state that outlives mmap_prepare'],
	['idxd_cdev_mmap', 'drivers/dma/idxd/cdev.c', 'check_vma(wq, vma, __func__)'],
	['kfd_mmap', 'drivers/gpu/drm/amd/amdkfd/kfd_chardev.c', 'kfd_doorbell_mmap(dev, process, vma)'],
	['afu_mmap', 'drivers/misc/ocxl/file.c', 'ocxl_context_mmap(ctx, vma)'],
	// Issue #11: the action's size can pass the VMA (class 4); the ALSA core's
	// files are swapped to snd_shutdown_f_ops at disconnect, and the PCM's keep .mmap (class 6).
	['flash_mmap', 'drivers/sbus/char/flash.c', 'not proven to fit in the VMA'],
	['snd_compr_mmap', 'sound/core/compress_offload.c', 'snd_card_disconnect()'],
	['snd_disconnect_mmap', 'sound/core/init.c', 'snd_card_disconnect()'],
	// converted by the rules, not proven by the equivalence checker (docs/equivalence.md)
	['dax_devmap', 'drivers/sbus/char/oradax.c', 'dax_dbg('],
	['pfrt_log_mmap', 'drivers/acpi/pfr_telemetry.c', 'acpi_evaluate_dsm_typed('],
	['afu_mmap', 'drivers/fpga/dfl-afu-main.c', 'afu_mmio_region_get_by_offset('],
	['vhost_vdpa_mmap', 'drivers/vhost/vdpa.c', 'get_vq_notification('],
];

test('census: 29 of the 46 strictly convertible f_op hooks convert, 17 are refused with their reason (real 7.3 tree, ~30 s)', async () => {
	if (!fs.existsSync(path.join(tree, 'include/linux/fs.h'))) {
		console.log(`  SKIP census46: no Linux 7.3 tree at ${tree} (set MMAPIFY_KERNEL_TREE or run test/kernel/fetch-kernel.sh)`);
		return;
	}
	const files = [...new Set([...CONVERTED, ...REFUSED].map((x) => x[1]))];
	const plan = await planTree(tree, files);
	const find = (fn: string, file: string) => plan.hooks.find((h) => h.function === fn && h.file === file);
	for (const [fn, file] of CONVERTED) {
		const h = find(fn, file);
		assert.ok(h, `${fn} (${file}) not reported`);
		assert.is(h!.status, 'converted', `${fn}: ${h!.reason}`);
	}
	for (const [fn, file, why] of REFUSED) {
		const h = find(fn, file);
		assert.ok(h, `${fn} (${file}) not reported`);
		assert.is(h!.status, 'skipped', `${fn} should be refused`);
		assert.ok(h!.reason?.includes(why), `${fn}: "${h!.reason}" does not name ${why}`);
	}
	assert.is(CONVERTED.length + REFUSED.length, 46);
});

test.run();
