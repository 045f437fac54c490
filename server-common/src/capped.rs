//! Reading an HTTP answer with a size bound: the registry's and the layouts'
//! clients, and the gateway reading a sidecar.

/// Reads a body, refusing it past `limit` bytes (by its length if stated,
/// else as it streams).
pub async fn read_capped(mut resp: reqwest::Response, limit: usize) -> Result<Vec<u8>, String> {
    let too_big = || format!("the answer is larger than {limit} bytes; refused");
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_big());
    }
    let mut out = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| e.to_string())? {
        if out.len() + chunk.len() > limit {
            return Err(too_big());
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}
