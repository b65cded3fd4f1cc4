#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| rawcap_fuzz::jit(data));
