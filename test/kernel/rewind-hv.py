#!/usr/bin/env python3
"""Put Linux 7.3's Hyper-V ring-buffer chain back into its 6.12 shape.

Upstream converted vmbus_channel->mmap_ring_buffer into
->mmap_prepare_ring_buffer (include/linux/hyperv.h, drivers/hv/hyperv_vmbus.h,
drivers/hv/vmbus_drv.c, drivers/uio/uio_hv_generic.c). This script undoes
exactly that, so that mmapify can be asked to redo it: the field and the
registration parameter take a struct vm_area_struct * again, the sysfs
wrapper calls the hook directly, and the implementor uses vm_iomap_memory().

Usage: rewind-hv.py TREE   (edits the four files in place; fails loudly if
the 7.3 text is not found, e.g. on another kernel version)
"""
import sys, pathlib

tree = pathlib.Path(sys.argv[1])

def edit(rel, pairs):
    p = tree / rel
    s = p.read_text()
    for old, new in pairs:
        if s.count(old) != 1:
            sys.exit(f"rewind-hv: {rel}: expected exactly one occurrence of {old!r}")
        s = s.replace(old, new)
    p.write_text(s)

edit('include/linux/hyperv.h', [(
    'int (*mmap_prepare_ring_buffer)(struct vmbus_channel *channel, struct vm_area_desc *desc);',
    'int (*mmap_ring_buffer)(struct vmbus_channel *channel, struct vm_area_struct *vma);')])

edit('drivers/hv/hyperv_vmbus.h', [(
    '\t\t\t int (*hv_mmap_prepare_ring_buffer)(struct vmbus_channel *channel,\n'
    '\t\t\t\t\t\t\t    struct vm_area_desc *desc));',
    '\t\t\t int (*hv_mmap_ring_buffer)(struct vmbus_channel *channel,\n'
    '\t\t\t\t\t\t    struct vm_area_struct *vma));')])

edit('drivers/hv/vmbus_drv.c', [
    ('\tstruct vmbus_channel *channel = container_of(kobj, struct vmbus_channel, kobj);\n'
     '\tstruct vm_area_desc desc;\n'
     '\tint err;\n'
     '\n'
     '\t/*\n'
     '\t * hv_(create|remove)_ring_sysfs implementation ensures that\n'
     '\t * mmap_prepare_ring_buffer is not NULL.\n'
     '\t */\n'
     '\tcompat_set_desc_from_vma(&desc, filp, vma);\n'
     '\terr = channel->mmap_prepare_ring_buffer(channel, &desc);\n'
     '\tif (err)\n'
     '\t\treturn err;\n'
     '\n'
     '\treturn __compat_vma_mmap(&desc, vma);\n',
     '\tstruct vmbus_channel *channel = container_of(kobj, struct vmbus_channel, kobj);\n'
     '\n'
     '\t/*\n'
     '\t * hv_(create|remove)_ring_sysfs implementation ensures that\n'
     '\t * mmap_ring_buffer is not NULL.\n'
     '\t */\n'
     '\treturn channel->mmap_ring_buffer(channel, vma);\n'),
    (' * @hv_mmap_prepare_ring_buffer: function pointer for initializing the function to be called on mmap\n',
     ' * @hv_mmap_ring_buffer: function pointer for initializing the function to be called on mmap\n'),
    (' *                       int (*hv_mmap_prepare_ring_buffer)(struct vmbus_channel *channel,\n'
     ' *                                                          struct vm_area_desc *desc))\n'
     ' *                       This has a pointer to the channel and a pointer to vm_area_desc,\n'
     ' *                       used for mmap_prepare, as arguments.\n',
     ' *                       int (*hv_mmap_ring_buffer)(struct vmbus_channel *channel,\n'
     ' *                                                  struct vm_area_struct *vma))\n'
     ' *                       This has a pointer to the channel and a pointer to vm_area_struct,\n'
     ' *                       used for mmap, as arguments.\n'),
    ('\t\t\t int (*hv_mmap_prepare_ring_buffer)(struct vmbus_channel *channel,\n'
     '\t\t\t\t\t\t\t    struct vm_area_desc *desc))\n'
     '{',
     '\t\t\t int (*hv_mmap_ring_buffer)(struct vmbus_channel *channel,\n'
     '\t\t\t\t\t\t    struct vm_area_struct *vma))\n'
     '{'),
    ('\tchannel->mmap_prepare_ring_buffer = hv_mmap_prepare_ring_buffer;\n',
     '\tchannel->mmap_ring_buffer = hv_mmap_ring_buffer;\n'),
    ('\tchannel->mmap_prepare_ring_buffer = NULL;\n',
     '\tchannel->mmap_ring_buffer = NULL;\n'),
])

edit('drivers/uio/uio_hv_generic.c', [
    ('hv_uio_ring_mmap_prepare(struct vmbus_channel *channel, struct vm_area_desc *desc)\n',
     'hv_uio_ring_mmap(struct vmbus_channel *channel, struct vm_area_struct *vma)\n'),
    ('\tmmap_action_simple_ioremap(desc, virt_to_phys(ring_buffer),\n'
     '\t\t\tchannel->ringbuffer_pagecount << PAGE_SHIFT);\n'
     '\treturn 0;\n',
     '\treturn vm_iomap_memory(vma, virt_to_phys(ring_buffer),\n'
     '\t\t\t       channel->ringbuffer_pagecount << PAGE_SHIFT);\n'),
    ('\tret = hv_create_ring_sysfs(new_sc, hv_uio_ring_mmap_prepare);\n',
     '\tret = hv_create_ring_sysfs(new_sc, hv_uio_ring_mmap);\n'),
    ('\thv_create_ring_sysfs(channel, hv_uio_ring_mmap_prepare);\n',
     '\thv_create_ring_sysfs(channel, hv_uio_ring_mmap);\n'),
])
print('rewind-hv: the hv ring-buffer chain is back in its 6.12 shape')
